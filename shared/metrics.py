"""Prometheus metrics of every service: ``GET /metrics`` on each web process.

What a scrape shows, all labelled ``service``:

- ``xianfeng_http_requests_total{method,endpoint,status}`` and
  ``xianfeng_http_request_duration_seconds{method,endpoint}``: ``endpoint`` is the URL rule
  (``/api/v1/pledges/<int:pledge_id>``), never the raw path, so ids and ballot tokens stay out.
- ``xianfeng_tasks_total{task,outcome}`` (outcome: success | failure | retry, from the Celery signals)
  and ``xianfeng_task_duration_seconds{task}``.
- computed at scrape time: ``xianfeng_queue_depth{queue}`` (messages waiting on the broker),
  ``xianfeng_outbox_backlog`` and ``xianfeng_outbox_oldest_unsent_seconds`` (outbox rows not yet
  relayed), ``xianfeng_metrics_source_up{source}`` (1 when broker / outbox / hook answered), and
  whatever the service's :meth:`Service.metrics` hook returns (see :class:`Sample`).

Processes: gunicorn forks several web workers and Celery forks a pool, so a process started by
``xianfeng serve`` or ``xianfeng worker`` writes its counters into ``<data dir>/metrics/<service>/``
(prometheus multiprocess mode) and ``/metrics`` adds up every file there.  On one host
(``xianfeng run``) the web process therefore also shows its worker's task outcomes; in containers
each worker serves its own files on ``XIANFENG_METRICS_PORT`` (scrape both).  In-process (tests)
counters stay in memory and are shown by the app of the same service.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import redis
import structlog
from celery import signals
from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import func, select, text

from shared.settings import Settings

log = structlog.get_logger(__name__)

PREFIX = "xianfeng_"
UNMATCHED = "<unmatched>"
SCRAPE_TIMEOUT = 2.0  # seconds the broker and the database get to answer a scrape
# kombu's Redis transport keeps priorities 3, 6, 9 in keys of their own next to the queue's
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

REQUESTS = Counter(
    "xianfeng_http_requests", "HTTP requests answered", ["service", "method", "endpoint", "status"],
)
REQUEST_SECONDS = Histogram(
    "xianfeng_http_request_duration_seconds", "Time to answer an HTTP request",
    ["service", "method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter("xianfeng_tasks", "Celery task outcomes", ["service", "task", "outcome"])
TASK_SECONDS = Histogram(
    "xianfeng_task_duration_seconds", "Time a Celery task ran", ["service", "task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0),
)
OWN_FAMILIES = ("xianfeng_http_request", "xianfeng_task")


@dataclass(frozen=True)
class Sample:
    """One value a service reports at scrape time, exported as ``xianfeng_<name>{service, **labels}``.

    Keep labels to small, closed sets (states, channels, round kinds, ids of *open* rounds).
    """

    name: str
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)
    help: str = ""


class MetricsSource(Protocol):
    """What the scrape-time collector needs of a service (a :class:`shared.service.Service`)."""

    name: str
    outbox_table: Any

    @property
    def db(self) -> Any: ...

    def metrics(self, session) -> Iterable[Sample] | Mapping[str, float]: ...


# ---- processes ---------------------------------------------------------------------------------

_multiprocess_dir: Path | None = None


def directory(settings: Settings, service: str) -> Path:
    """Where the processes of ``service`` write their counters (multiprocess mode)."""
    return settings.data_dir / "metrics" / service


def use_multiprocess(path: Path) -> None:
    """From now on this process keeps its counters in files under ``path`` (call before the first count)."""
    global _multiprocess_dir
    if _multiprocess_dir == path:
        return
    path.mkdir(parents=True, exist_ok=True)
    prune_dead(path)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    values.ValueClass = values.MultiProcessValue()
    _multiprocess_dir = path


def prune_dead(path: Path) -> list[Path]:
    """Drop the files of processes that no longer run (one host restarts often: ``xianfeng run``).

    Their counts leave the sums; Prometheus reads the drop as a counter reset, as after a restart.
    """
    removed = []
    for file in path.glob("*_*.db"):
        pid = file.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            file.unlink(missing_ok=True)
            removed.append(file)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def multiprocess_dir() -> Path | None:
    return _multiprocess_dir


def serve_worker_metrics(path: Path, host: str, port: int) -> None:
    """A Celery worker has no web server: serve the counters of its processes on ``host:port``."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=str(path))
    start_http_server(port, addr=host, registry=registry)
    log.info("worker_metrics_listening", host=host, port=port)


# ---- web ---------------------------------------------------------------------------------------

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
    if _multiprocess_dir is None:
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


# ---- tasks -------------------------------------------------------------------------------------

def _task_labels(task) -> tuple[str, str]:
    name = getattr(task, "name", None) or "unknown"
    return name.split(".", 1)[0], name


@signals.task_success.connect
def _task_succeeded(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "success").inc()


@signals.task_failure.connect
def _task_failed(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "failure").inc()


@signals.task_retry.connect
def _task_retried(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "retry").inc()


_task_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_prerun(task_id=None, **_kw) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _task_postrun(task_id=None, task=None, **_kw) -> None:
    started = _task_started.pop(task_id, None) if task_id else None
    if started is not None:
        TASK_SECONDS.labels(*_task_labels(task)).observe(time.perf_counter() - started)


@signals.worker_init.connect
def _worker_metrics(sender=None, **_kw) -> None:
    """A real worker process (never a test calling a task): files under the data dir, maybe a port."""
    conf = sender.app.conf if sender is not None else None
    path = conf.get("xianfeng_metrics_dir") if conf is not None else None
    if not path:
        return
    use_multiprocess(Path(path))
    if conf.get("xianfeng_metrics_port"):
        serve_worker_metrics(Path(path), conf.get("xianfeng_metrics_host", "127.0.0.1"),
                             int(conf["xianfeng_metrics_port"]))


# ---- scrape time -------------------------------------------------------------------------------

def redis_client(broker_url: str, timeout: float = SCRAPE_TIMEOUT) -> redis.Redis | None:
    """A short-timeout client on the Redis behind a Celery broker URL (``None`` for other brokers)."""
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "retry": Retry(NoBackoff(), 0)}
    if broker_url.startswith("redis+socket://"):
        return redis.Redis(unix_socket_path=broker_url[len("redis+socket://"):].split("?", 1)[0], **options)
    if broker_url.startswith(("redis://", "rediss://")):
        return redis.Redis.from_url(broker_url, **options)
    return None


def queue_depth(client: redis.Redis, queue: str, key_prefix: str = "") -> int:
    """Messages waiting in ``queue`` (every priority), as kombu's Redis transport stores them."""
    keys = [key_prefix + queue] + [f"{key_prefix}{queue}{_PRIORITY_SEP}{p}" for p in _PRIORITY_STEPS]
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.llen(key)
    return int(sum(pipe.execute()))


def outbox_backlog(db, table, now: datetime | None = None) -> tuple[int, float]:
    """Unsent outbox rows and the age in seconds of the oldest one (0 when none)."""
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.execute(text(f"SET LOCAL statement_timeout = {int(SCRAPE_TIMEOUT * 1000)}"))
        count, oldest = conn.execute(
            select(func.count(), func.min(table.c.created_at)).where(table.c.sent_at.is_(None))
        ).one()
        conn.rollback()
    if not oldest:
        return int(count), 0.0
    if isinstance(oldest, str):  # SQLite hands aggregates back untyped
        oldest = datetime.fromisoformat(oldest)
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), max(0.0, ((now or datetime.now(UTC)) - oldest).total_seconds())


def as_samples(reported: Iterable[Sample] | Mapping[str, float] | None) -> list[Sample]:
    """What a hook returned, as samples (a plain ``{name: value}`` dict is allowed)."""
    if not reported:
        return []
    if isinstance(reported, Mapping):
        return [Sample(name, float(value)) for name, value in reported.items()]
    return list(reported)


def families(service: str, samples: Iterable[Sample]) -> list[GaugeMetricFamily]:
    """Gauge families ``xianfeng_<name>`` from hook samples; malformed names are dropped (and logged)."""
    grouped: dict[str, list[Sample]] = {}
    for sample in samples:
        labels_ok = all(_NAME.match(k) and k != "service" for k in sample.labels)
        if not _NAME.match(sample.name) or not labels_ok or (PREFIX + sample.name).startswith(OWN_FAMILIES):
            log.warning("metrics_sample_dropped", service=service, sample=sample.name)
            continue
        grouped.setdefault(sample.name, []).append(sample)
    out = []
    for name, group in grouped.items():
        label_names = sorted({k for s in group for k in s.labels})
        family = GaugeMetricFamily(PREFIX + name, group[0].help or f"{name} ({service})",
                                   labels=["service", *label_names])
        for s in group:
            family.add_metric([service, *(str(s.labels.get(k, "")) for k in label_names)], float(s.value))
        out.append(family)
    return out


class ServiceCollector:
    """Gauges computed when Prometheus scrapes: queue depth, outbox backlog, the service's own hook.

    A source that does not answer within :data:`SCRAPE_TIMEOUT` is reported as
    ``xianfeng_metrics_source_up{source=...} 0`` instead of failing the scrape.
    """

    def __init__(self, service: MetricsSource, settings: Settings) -> None:
        self.service, self.settings = service, settings

    def collect(self) -> Iterator[Metric]:
        name = self.service.name
        up = GaugeMetricFamily(PREFIX + "metrics_source_up", "1 when a scrape-time source answered",
                               labels=["service", "source"])
        for source, produce in (("broker", self._broker), ("outbox", self._outbox), ("hook", self._hook)):
            try:
                produced = produce()
            except Exception as exc:  # a scrape reports an outage, it does not fail with it
                log.warning("metrics_source_failed", service=name, source=source, error=type(exc).__name__)
                up.add_metric([name, source], 0.0)
                continue
            up.add_metric([name, source], 1.0)
            yield from produced
        yield up

    def _broker(self) -> list[Metric]:
        client = redis_client(self.settings.broker_url)
        if client is None:
            return []
        try:
            depth = queue_depth(client, self.service.name, self.settings.broker_key_prefix)
        finally:
            client.close()
        family = GaugeMetricFamily(PREFIX + "queue_depth", "Messages waiting on the broker queue",
                                   labels=["service", "queue"])
        family.add_metric([self.service.name, self.service.name], depth)
        return [family]

    def _outbox(self) -> list[Metric]:
        count, age = outbox_backlog(self.service.db, self.service.outbox_table)
        backlog = GaugeMetricFamily(PREFIX + "outbox_backlog", "Outbox messages not yet relayed", labels=["service"])
        backlog.add_metric([self.service.name], count)
        oldest = GaugeMetricFamily(PREFIX + "outbox_oldest_unsent_seconds", "Age of the oldest unrelayed message",
                                   labels=["service"])
        oldest.add_metric([self.service.name], age)
        return [backlog, oldest]

    def _hook(self) -> list[Metric]:
        with self.service.db.session() as session:
            samples = as_samples(self.service.metrics(session))
        return families(self.service.name, samples)
