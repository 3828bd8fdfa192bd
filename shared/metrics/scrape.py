"""Gauges computed when Prometheus scrapes: queue depth, outbox backlog, a service's own hook."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import redis
import structlog
from amqp.exceptions import ChannelError
from kombu import Connection
from prometheus_client.core import GaugeMetricFamily, Metric
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import func, select, text

from shared.metrics.counters import OWN_FAMILIES, PREFIX
from shared.settings import Settings

log = structlog.get_logger(__name__)

SCRAPE_TIMEOUT = 2.0  # seconds the broker and the database get to answer a scrape
# kombu's Redis transport keeps priorities 3, 6, 9 in keys of their own next to the queue's
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


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


def amqp_queue_depth(broker_url: str, queue: str, timeout: float = SCRAPE_TIMEOUT) -> int:
    """Messages ready in a RabbitMQ queue (a passive declare; 0 while nobody has declared it yet)."""
    with Connection(broker_url, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        try:
            return int(conn.channel().queue_declare(queue, passive=True).message_count)
        except ChannelError as exc:
            if getattr(exc, "code", None) == 404:
                return 0
            raise


def broker_queue_depth(settings: Settings, queue: str) -> int | None:
    """Messages waiting in ``queue`` on the configured broker, Redis or RabbitMQ (None: another broker)."""
    if settings.broker_is_amqp:
        return amqp_queue_depth(settings.broker_url, settings.broker_key_prefix + queue)
    client = redis_client(settings.broker_url)
    if client is None:
        return None
    try:
        return queue_depth(client, queue, settings.broker_key_prefix)
    finally:
        client.close()


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
        depth = broker_queue_depth(self.settings, self.service.name)
        if depth is None:
            return []
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
