"""``make bench``: every service's benchmark, each figure as a ratio to a baseline run in the same process.

A benchmark module is ``bench/<name>.py`` with ``run(ctx: Context) -> list[Figure]``.  Baselines (bare
SQL, plain Flask, plain Celery) are measured in the same run, on the same database, so the ratio —
not the absolute time — is what the goal is about.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure: ``value`` against ``baseline`` (same unit), ``ratio = value / baseline``.

    ``goal`` is a human-readable target (e.g. ``"ratio >= 0.3"``); ``passed`` says whether it was met.
    """

    bench: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    passed: bool | None = None
    backend: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


@dataclass
class Context:
    """What a benchmark gets: a scratch directory, the backend name and the size knob."""

    workdir: Path
    backend: str  # "embedded" (SQLite + embedded Redis) or "services" (PostgreSQL + Redis)
    quick: bool = False  # smaller sizes, for a smoke run in the tests

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed wall time in seconds."""
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)


def percentiles(samples: list[float], *qs: float) -> list[float]:
    """Percentiles (0–100) of ``samples`` (seconds in, milliseconds out)."""
    cuts = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return [1000 * (cuts[int(q) - 1] if q < 100 else max(samples)) for q in qs]


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples
