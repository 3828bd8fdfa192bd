"""The pledge service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from shared.db import make_base
from shared.service import Service
from shared.web import Api

Base = make_base()


class PledgeService(Service):
    name = "pledge"
    title = "xianfeng pledge service — 承诺"
    description = "Directory, carriers (活动载体), pledges (承诺) through review, publication, look-back and close."
    package = "services.pledge"
    tasks_module = "services.pledge.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.pledge.api import register
        from services.pledge.supervision_api import register as register_supervision

        register(app, api)
        register_supervision(api)

    def daily(self, day: date) -> dict[str, Any]:
        return {}


service = PledgeService(Base)
