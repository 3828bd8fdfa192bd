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


@contextmanager
def service_database(ctx: Context, service: Any, label: str, sender: Any = None) -> Iterator[Any]:
    """The service migrated and started on a database of the benchmark's own (a fresh PostgreSQL
    database on the services backend, a SQLite file otherwise); yields its settings, drops it after."""
    import uuid

    from shared.settings import load
    from shared.testing.databases import create_pg_database, drop_pg_database

    pg_name = f"xf_bench_{label}_{uuid.uuid4().hex[:8]}"
    url = (create_pg_database(pg_name) if ctx.backend == "services"
           else f"sqlite:///{ctx.workdir / (service.name + '.sqlite3')}")
    settings = load({"XIANFENG_ENV": "test", "XIANFENG_DATA_DIR": str(ctx.workdir),
                     f"XIANFENG_{service.name.upper()}_DATABASE_URL": url})
    try:
        service.migrate(settings)
        service.start(settings, sender=sender if sender is not None else (lambda *a, **k: None))
        yield settings
    finally:
        if service.runtime is not None:
            service.runtime.db.dispose()
        if ctx.backend == "services":
            drop_pg_database(pg_name)


def peak_rss(pid: int | str = "self") -> int:
    """A process's peak RSS in bytes: VmHWM (its own address space; ru_maxrss would count the forked
    parent's RSS from before the exec too), else this process's ru_maxrss."""
    import resource

    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
