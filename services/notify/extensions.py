"""The notify service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

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

    def daily(self, day: date) -> dict[str, Any]:
        return {}


service = NotifyService(Base)
