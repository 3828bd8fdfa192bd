"""The notify service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from celery.schedules import crontab
from flask import Flask

from shared.db import make_base
from shared.service import Service
from shared.web import Api

Base = make_base()


class NotifyService(Service):
    name = "notify"
    title = "xianfeng notify service — 通知"
    description = "Notifications over inbox, email and signed webhooks; preferences; reminders."
    package = "services.notify"
    tasks_module = "services.notify.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.notify.api import register

        register(app, api)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            "notify.sweep": {"task": "notify.sweep", "schedule": timedelta(seconds=30)},
            "notify.political_birthdays": {"task": "notify.political_birthdays",
                                           "schedule": crontab(hour=7, minute=0)},
        }

    def daily(self, day: date) -> dict[str, Any]:
        """Political birthdays of ``day``: greetings and secretaries' lists, once however often run."""
        from services.notify.birthdays import political_birthdays
        from shared.db import utcnow

        with self.db.session() as session:
            return {"political_birthdays": political_birthdays(session, self.publish, day, utcnow())}


service = NotifyService(Base)
