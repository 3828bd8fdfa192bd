"""Celery tasks of the notify service (queue ``notify``): thin wrappers around the use cases."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import structlog

from services.notify import delivery, sending, sweeper
from services.notify.channels import Channels, from_settings
from services.notify.commands import DeliverChunk, ResolveNotification
from services.notify.extensions import service
from services.notify.models import directory
from shared.db import utcnow
from shared.directory import register_consumer
from shared.messages import MessageError, SendNotification
from shared.settings import Settings

log = structlog.get_logger(__name__)
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

directory_changed = register_consumer(service, directory)

_channels: list[tuple[Settings, Channels]] = []


def channels() -> Channels:
    """The delivery adapters for this process's settings (one HTTP client per process)."""
    settings = service.runtime.settings
    if not _channels or _channels[0][0] != settings:
        _channels[:] = [(settings, from_settings(settings))]
    return _channels[0][1]


@service.celery.task(name="notify.send", ignore_result=True)
def send(message: dict) -> int | None:
    """Another service's ``SendNotification``: accepted once per ``key``."""
    try:
        msg = SendNotification.from_payload(message)
    except MessageError as exc:
        log.error("notify_send_rejected", error=str(exc))
        return None
    with service.db.session() as session:
        notification, created = sending.create(session, service.publish, msg, utcnow())
        log.info("notification_accepted", notification_id=notification.id, new=created, category=msg.category)
        return notification.id


@service.celery.task(name="notify.resolve", ignore_result=True)
def resolve(message: dict) -> int:
    cmd = ResolveNotification.from_payload(message)
    with service.db.session() as session:
        return sending.resolve(session, service.publish, cmd.notification_id, utcnow())


@service.celery.task(name="notify.deliver", ignore_result=True)
def deliver(message: dict) -> dict:
    cmd = DeliverChunk.from_payload(message)
    return delivery.deliver(service.db, cmd.notification_id, list(cmd.person_ids), channels(), utcnow)


@service.celery.task(name="notify.sweep", ignore_result=True)
def sweep() -> dict:
    with service.db.session() as session:
        return sweeper.sweep(session, service.publish, utcnow())


@service.celery.task(name="notify.political_birthdays", ignore_result=True)
def political_birthdays(day: str | None = None) -> dict:
    """The nightly greeting run (beat); ``day`` defaults to today in China."""
    return service.daily(date.fromisoformat(day) if day else datetime.now(LOCAL_TZ).date())
