"""Celery apps of the services, with the at-least-once defaults every queue shares.

Task names carry their queue (``pledge.*``, ``survey.*``, ``notify.*``) and are routed by that
prefix, so any service can ``send_task`` by name without importing the owner's code.
"""

from __future__ import annotations

import threading

from celery import Celery, signals

from shared.logs import bind_request, current_request_id, new_request_id
from shared.settings import SERVICES, Settings


def queue_of(task_name: str) -> str | None:
    prefix = task_name.split(".", 1)[0]
    return prefix if prefix in SERVICES else None


def route_by_name(name: str, args, kwargs, options, task=None, **kw):
    queue = queue_of(name)
    return {"queue": queue} if queue else None


def make_celery(service: str) -> Celery:
    """An unconfigured app; :func:`configure` fills it from settings at start."""
    return Celery(service, set_as_current=False)


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
    transport: dict = {"visibility_timeout": settings.visibility_timeout}
    if settings.broker_key_prefix:
        transport["global_keyprefix"] = settings.broker_key_prefix
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
        result_backend_transport_options={"visibility_timeout": settings.visibility_timeout},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        result_expires=3 * 24 * 3600,
        result_extended=False,
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        task_send_sent_event=True,
        enable_utc=True,
        timezone="Asia/Shanghai",
    )
    return app


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_kw):
    if headers is not None and "request_id" not in headers:
        headers["request_id"] = current_request_id() or new_request_id()


@signals.task_prerun.connect
def _bind_task_context(task_id=None, task=None, **_kw):
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    bind_request(request_id or new_request_id(), task=getattr(task, "name", None), task_id=task_id)
