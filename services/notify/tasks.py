"""Celery tasks of the notify service (queue ``notify``): thin wrappers around the use cases."""

from __future__ import annotations

from datetime import date, datetime

import structlog

from services.notify.app import service
from services.notify.delivery.channels import Channels, from_settings
from services.notify.directory.models import directory
from services.notify.notifications import accepting, fanout, resolving, sweeper
from services.notify.notifications.commands import DeliverChunk, DeliverRobots, ResolveNotification
from shared.directory import register_consumer
from shared.messages import MessageError, SendNotification
from shared.settings import Settings

log = structlog.get_logger(__name__)

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
    with service.unit_of_work() as ctx:
        notification, created = accepting.accept(ctx, msg)
        log.info("notification_accepted", notification_id=notification.id, new=created, category=msg.category)
        return notification.id


@service.celery.task(name="notify.resolve", ignore_result=True)
def resolve(message: dict) -> int:
    cmd = ResolveNotification.from_payload(message)
    with service.unit_of_work() as ctx:
        return resolving.resolve(ctx, cmd.notification_id)


@service.celery.task(name="notify.deliver", ignore_result=True)
def deliver(message: dict) -> dict:
    cmd = DeliverChunk.from_payload(message)
    return fanout.deliver(service.unit_of_work, cmd.notification_id, list(cmd.person_ids), channels())


@service.celery.task(name="notify.robots", ignore_result=True)
def robots(message: dict) -> int:
    cmd = DeliverRobots.from_payload(message)
    return fanout.deliver_robots(service.unit_of_work, cmd.notification_id, channels())


@service.celery.task(name="notify.sweep", ignore_result=True)
def sweep() -> dict:
    with service.unit_of_work() as ctx:
        return sweeper.sweep(ctx)


@service.celery.task(name="notify.political_birthdays", ignore_result=True)
def political_birthdays(day: str | None = None) -> dict:
    """The nightly greeting run (beat); ``day`` defaults to today in the campaign's time zone."""
    today = datetime.now(service.runtime.settings.zone).date()
    return service.daily(date.fromisoformat(day) if day else today)
