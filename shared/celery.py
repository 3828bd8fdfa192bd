"""Celery apps of the services, with the at-least-once defaults every queue shares.

Task names carry their queue (``pledge.*``, ``survey.*``, ``notify.*``) and are routed by that
prefix, so any service can ``send_task`` by name without importing the owner's code.

The broker is Redis (the embedded one or a server) or RabbitMQ.  On RabbitMQ each service's queue is
a durable quorum queue with publisher confirms and a delivery limit: a message whose worker is lost
on every delivery ends in the service's dead-letter queue, and the worker turns it into a row of
its ``dead_letters`` table (:mod:`shared.deadletter`) instead of running it forever.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import structlog
from celery import Celery, signals
from celery.worker.consumer import Consumer
from kombu import Connection, Exchange, Queue, pools

from shared import metrics
from shared.logs import bind_request, current_request_id, mask_values, new_request_id
from shared.settings import SERVICES, Settings, is_amqp, load

log = structlog.get_logger(__name__)
PERIODIC_HEADER = "celery_beat_task"  # Celery's beat sets this header on every task it sends
DEAD_LETTER_EXCHANGE = "xianfeng.dead"
# seconds a publish from a request (the outbox relay, a replay) may take, its confirm on RabbitMQ included: a
# broker that blocks publishers (RabbitMQ's memory or disk alarm) fails the send, the row waits in the outbox
PUBLISH_TIMEOUT = 10.0


def queue_of(task_name: str) -> str | None:
    prefix = task_name.split(".", 1)[0]
    return prefix if prefix in SERVICES else None


def route_by_name(name: str, args, kwargs, options, task=None, **kw):
    queue = queue_of(name)
    return {"queue": queue} if queue else None


class ServiceCelery(Celery):
    """A service's own app: its tasks stay its own (Celery shares ``@app.task`` tasks with every app
    in the process by default, which would let one service's worker claim another's task names)."""

    def task(self, *args, **opts):
        opts.setdefault("shared", False)
        return super().task(*args, **opts)


_APPS: weakref.WeakSet[Celery] = weakref.WeakSet()


def make_celery(service: str) -> Celery:
    """An unconfigured app; :func:`configure` fills it from settings at start."""
    app = ServiceCelery(service, set_as_current=False)
    _APPS.add(app)
    return app


def service_queue(name: str, prefix: str = "", delivery_limit: int = 10) -> Queue:
    """RabbitMQ: the durable quorum queue ``prefix + name``, known to Celery by ``name`` (routes, ``-Q``).

    A message delivered ``delivery_limit`` + 1 times without an acknowledgement (each time its worker
    was lost) is dead-lettered, at least once, into :func:`dead_letter_queue` instead of looping."""
    full = prefix + name
    return Queue(full, Exchange(full, "direct", durable=True), routing_key=full, alias=name, durable=True,
                 queue_arguments={
                     "x-queue-type": "quorum", "x-delivery-limit": delivery_limit,
                     "x-dead-letter-exchange": prefix + DEAD_LETTER_EXCHANGE, "x-dead-letter-routing-key": full,
                     "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish",
                 })


def dead_letter_queue(name: str, prefix: str = "") -> Queue:
    """RabbitMQ: where :func:`service_queue` ``name`` puts what passed its delivery limit (no limit of its own)."""
    full = prefix + name
    return Queue(full + ".dead", Exchange(prefix + DEAD_LETTER_EXCHANGE, "direct", durable=True), routing_key=full,
                 durable=True, queue_arguments={"x-queue-type": "quorum"})


def broker_objects(prefix: str, names: Iterable[str] = SERVICES) -> tuple[list[str], list[str]]:
    """RabbitMQ: the queues and exchanges xianfeng declares under ``prefix`` (to remove a deployment's own)."""
    queues = [prefix + name + suffix for name in names for suffix in ("", ".dead")]
    exchanges = [prefix + name for name in names] + [
        prefix + DEAD_LETTER_EXCHANGE, f"{prefix}celery.pidbox", f"reply.{prefix}celery.pidbox", f"{prefix}celeryev"]
    return queues, exchanges


@contextmanager
def publishing(app: Celery) -> Iterator[Connection | None]:
    """The connection for a send from a request (outbox relay, replay) that must not hang it.

    On RabbitMQ: one of a pool whose every read and write gives up after :data:`PUBLISH_TIMEOUT` (a
    blocked connection answers neither the confirm nor a goodbye), dropped without a goodbye after a
    failure so that no half-confirmed channel is used again.  On Redis: None, the app's own pool."""
    if not is_amqp(app.conf.broker_url or ""):
        yield None
        return
    pool = pools.connections[app.connection_for_write(
        transport_options={"read_timeout": PUBLISH_TIMEOUT, "write_timeout": PUBLISH_TIMEOUT})]
    connection = pool.acquire(block=True, timeout=PUBLISH_TIMEOUT)
    try:
        yield connection
    except BaseException:
        connection.collect()
        raise
    finally:
        connection.release()


class WorkerConsumer(Consumer):
    """Celery's worker consumer without its native delayed delivery step, which declares 28 unprefixed
    ``celery_delayed_*`` quorum queues on the vhost for topic exchanges; our exchanges are direct, so a
    retry's countdown waits in the worker, as it does on Redis."""

    class Blueprint(Consumer.Blueprint):
        default_steps = [s for s in Consumer.Blueprint.default_steps if not s.endswith(":DelayedDelivery")]


def _broker_options(settings: Settings, service: str | None) -> dict:
    """What differs between the brokers: Redis's visibility timeout and key prefix, RabbitMQ's quorum queues,
    confirms and names under the prefix (queues, dead letters, remote control and events)."""
    prefix = settings.broker_key_prefix
    if settings.broker_is_amqp:
        return dict(
            broker_transport_options={"confirm_publish": True},
            task_queues=[service_queue(name, prefix, settings.broker_delivery_limit) for name in SERVICES],
            xianfeng_dead_letter_queue=dead_letter_queue(service, prefix) if service in SERVICES else None,
            control_exchange=prefix + "celery", event_exchange=prefix + "celeryev",
            event_queue_prefix=prefix + "celeryev", worker_consumer=f"{__name__}:WorkerConsumer",
        )
    # unacknowledged messages of a dead worker come back after the visibility timeout; kombu looks
    # for them every 10 s (its default throttle would make that every 100 s)
    transport: dict = {"visibility_timeout": settings.visibility_timeout, "unacked_restore_interval": 10,
                       "unacked_restore_throttle": 1}
    if prefix:
        transport["global_keyprefix"] = prefix
    return dict(broker_transport_options=transport, task_queues=None, xianfeng_dead_letter_queue=None,
                control_exchange="celery", event_exchange="celeryev", event_queue_prefix="celeryev",
                worker_consumer="celery.worker.consumer:Consumer")


def _forget_connections(app: Celery) -> None:
    """Drop pooled broker/backend connections (and the queues and routes of the old settings) so a
    reconfigured app talks to its new broker.

    kombu shares one pool between every app on an equal connection (URL and transport options: on
    RabbitMQ the same for every key prefix), so the old pool is closed, and forgotten by kombu, only
    once no other app of ours still uses it."""
    old, app._pool = app._pool, None
    if old is not None and not any(other._pool is old for other in _APPS if other is not app):
        old.force_close_all()
        for group in (pools.connections, pools.producers):
            for key, pool in list(group.items()):
                if pool is old or getattr(pool, "connections", None) is old:
                    dict.__delitem__(group, key)  # the stored key is already kombu's hash of the connection
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local = threading.local()
    app.__dict__.pop("control", None)


def configure(app: Celery, settings: Settings, service: str | None = None) -> Celery:
    _forget_connections(app)
    results: dict = {"visibility_timeout": settings.visibility_timeout}
    if settings.broker_key_prefix:  # task results (on Redis with either broker) under the prefix too
        results["global_keyprefix"] = settings.broker_key_prefix
    app.conf.update(
        broker_url=settings.broker_url,
        result_backend=settings.result_backend,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_track_started=True,
        task_default_queue=service or "celery",
        task_routes=(route_by_name,),
        **_broker_options(settings, service),
        result_backend_transport_options=results,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        result_expires=3 * 24 * 3600,
        result_extended=False,
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        task_send_sent_event=True,
        enable_utc=True,
        timezone=settings.time_zone,
    )
    mask_values([settings.secret_key, settings.secret_key_previous, settings.smtp_password])
    if service in SERVICES:  # read by a worker process at start (shared.metrics): counters, maybe a port
        app.conf.update(
            xianfeng_metrics_dir=str(metrics.directory(settings, service)),
            xianfeng_metrics_port=settings.metrics_port,
            xianfeng_metrics_host=settings.bind_host,
        )
    return app


def __getattr__(name: str) -> Celery:
    """``celery -A shared.celery:monitor flower``: a Celery app on the broker the XIANFENG_* settings name."""
    if name == "monitor":
        return configure(make_celery("monitor"), load())
    raise AttributeError(name)


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_kw):
    if headers is not None and "request_id" not in headers:
        headers["request_id"] = current_request_id() or new_request_id()


_started: dict[str, float] = {}


@signals.task_prerun.connect
def _bind_task_context(task_id=None, task=None, **_kw):
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    bind_request(request_id or new_request_id(), task=getattr(task, "name", None), task_id=task_id)
    if task_id:
        _started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _log_task_done(task_id=None, task=None, state=None, **_kw):
    """One JSON line per task run, carrying the request id of the request that caused it; a periodic task
    that succeeded (the beat sends some every 10 s) logs it at DEBUG, so that an idle service is quiet."""
    started = _started.pop(task_id, None) if task_id else None
    elapsed = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    periodic = task is not None and getattr(task.request, PERIODIC_HEADER, False)
    (log.debug if periodic and state == "SUCCESS" else log.info)("task_done", state=state, ms=elapsed)
