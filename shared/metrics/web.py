"""``GET /metrics`` on a Flask app, and the requests it counts."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from shared.metrics.counters import OWN_FAMILIES, REQUEST_SECONDS, REQUESTS
from shared.metrics.processes import directory, in_multiprocess_mode, use_multiprocess
from shared.settings import Settings

UNMATCHED = "<unmatched>"


def init_app(app: Flask, service: str, settings: Settings, collectors: Iterable[Any] = ()) -> None:
    """Count every request by URL rule and status; mount ``GET /metrics``."""
    if os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/"):
        use_multiprocess(directory(settings, service))  # several gunicorn workers answer one port
    scrape_sources = list(collectors)

    @app.before_request
    def _started() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        if request.path != "/metrics":
            rule = request.url_rule.rule if request.url_rule is not None else UNMATCHED
            elapsed = time.perf_counter() - g.get("metrics_started", time.perf_counter())
            REQUESTS.labels(service, request.method, rule, str(response.status_code)).inc()
            REQUEST_SECONDS.labels(service, request.method, rule).observe(elapsed)
        return response

    def metrics() -> Response:
        body = exposition(service, directory(settings, service), scrape_sources)
        return Response(body, mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])


def exposition(service: str, path: Path, collectors: Iterable[Any] = ()) -> bytes:
    """The text a scrape returns: this process, the files of the service's processes, the collectors."""
    sources: list[Any] = []
    if not in_multiprocess_mode():
        sources.append(_InProcess(service))
    if path.is_dir() and any(path.glob("*.db")):
        sources.append(MultiProcessCollector(None, path=str(path)))
    sources.extend(collectors)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Merged(sources))
    return generate_latest(registry)


class _InProcess:
    """The default registry of this process, restricted to ``service`` (tests run several apps in one)."""

    def __init__(self, service: str) -> None:
        self.service = service

    def collect(self) -> Iterator[Metric]:
        for family in REGISTRY.collect():
            if family.name.startswith(OWN_FAMILIES):
                family.samples = [s for s in family.samples if s.labels.get("service") == self.service]
            yield family


class _Merged:
    """Families of several sources as one: same-named families join, equal samples add up."""

    def __init__(self, sources: list[Any]) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        merged: dict[str, Metric] = {}
        for source in self.sources:
            for family in source.collect():
                if family.name not in merged:
                    merged[family.name] = family
                    continue
                target = merged[family.name]
                index = {(s.name, tuple(sorted(s.labels.items()))): i for i, s in enumerate(target.samples)}
                for s in family.samples:
                    key = (s.name, tuple(sorted(s.labels.items())))
                    if key in index and not s.name.endswith("_created"):
                        old = target.samples[index[key]]
                        target.samples[index[key]] = old._replace(value=old.value + s.value)
                    elif key not in index:
                        target.samples.append(s)
        yield from merged.values()
