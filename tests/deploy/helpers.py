"""Helpers of the deploy tests: parse a Prometheus exposition, pick a sample, find a free port."""

from __future__ import annotations

import socket

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """A Prometheus exposition as ``{(sample name, sorted labels): value}`` (it must parse)."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(scraped: dict, name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` whose labels include ``labels`` (summed), or ``None``."""
    found = [v for (n, ls), v in scraped.items() if n == name and set(labels.items()) <= set(ls)]
    return sum(found) if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
