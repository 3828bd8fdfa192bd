"""The notify service object: registers each context's routes, the beat entries and the daily hook."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from celery.schedules import crontab
from flask import Flask

from services.notify.birthdays.greetings import political_birthdays
from services.notify.db import Base
from services.notify.delivery import routes as webhooks
from services.notify.directory.models import directory
from services.notify.inbox import routes as inbox
from services.notify.notifications import routes as notifications
from services.notify.notifications.digests import send_digests
from services.notify.preferences import routes as preferences
from shared.directory import status_blueprint
from shared.service import Service
from shared.web import Api


class NotifyService(Service):
    name = "notify"
    title = "xianfeng notify service — 通知"
    description = "Notifications over inbox, email and signed webhooks; preferences; reminders."
    package = "services.notify"
    tasks_module = "services.notify.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        api.register_blueprint(status_blueprint(directory))
        for context in (notifications, inbox, preferences, webhooks):
            api.register_blueprint(context.blp)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            "notify.sweep": {"task": "notify.sweep", "schedule": timedelta(seconds=30)},
            "notify.political_birthdays": {"task": "notify.political_birthdays",
                                           "schedule": crontab(hour=7, minute=0)},
        }

    def daily(self, day: date) -> dict[str, Any]:
        """Political birthdays of ``day`` (greetings and secretaries' lists) and the digests due that day,
        each once however often run."""
        with self.unit_of_work() as ctx:
            birthdays = political_birthdays(ctx, day)
        return {"political_birthdays": birthdays, "digests": send_digests(self.unit_of_work, day)}


service = NotifyService(Base)
