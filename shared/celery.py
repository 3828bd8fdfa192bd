"""Celery apps of the services, with the at-least-once defaults every queue shares.

Task names carry their queue (``pledge.*``, ``survey.*``, ``notify.*``) and are routed by that
prefix, so any service can ``send_task`` by name without importing the owner's code.
"""

from __future__ import annotations

import threading
import time

import structlog
from celery import Celery, signals

from shared import metrics
from shared.logs import bind_request, current_request_id, mask_values, new_request_id
from shared.settings import SERVICES, Settings, load

log = structlog.get_logger(__name__)


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


def make_celery(service: str) -> Celery:
    """An unconfigured app; :func:`configure` fills it from settings at start."""
    return ServiceCelery(service, set_as_current=False)


def _forget_connections(app: Celery) -> None:
    """Drop pooled broker/backend connections so a reconfigured app talks to its new broker."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()
    app.__dict__.pop("control", None)


def configure(app: Celery, settings: Settings, service: str | None = None) -> Celery:
    _forget_connections(app)
    # unacknowledged messages of a dead worker come back after the visibility timeout; kombu looks
    # for them every 10 s (its default throttle would make that every 100 s)
    transport: dict = {"visibility_timeout": settings.visibility_timeout, "unacked_restore_interval": 10,
                       "unacked_restore_throttle": 1}
    results: dict = {"visibility_timeout": settings.visibility_timeout}
    if settings.broker_key_prefix:  # every key of the deployment under it: queues and task results
        transport["global_keyprefix"] = results["global_keyprefix"] = settings.broker_key_prefix
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
        broker_transport_options=transport,
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
def _log_task_done(task_id=None, state=None, **_kw):
    """One JSON line per task run, carrying the request id of the request that caused it."""
    started = _started.pop(task_id, None) if task_id else None
    elapsed = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    log.info("task_done", state=state, ms=elapsed)
