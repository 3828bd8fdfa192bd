"""The pledge service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery.schedules import crontab
from flask import Flask

from services.pledge.db import Base
from shared.service import Service
from shared.web import Api


class PledgeService(Service):
    name = "pledge"
    title = "xianfeng pledge service — 承诺"
    description = "Directory, carriers (活动载体), pledges (承诺) through review, publication, look-back and close."
    package = "services.pledge"
    tasks_module = "services.pledge.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.pledge.directory.routes import register

        register(app, api)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {"pledge.daily": {"task": "pledge.daily", "schedule": crontab(hour=1, minute=5)},
                "pledge.resume_imports": {"task": "pledge.resume_imports", "schedule": 60.0}}

    def daily(self, day: date) -> dict[str, Any]:
        from services.pledge.pledges.reminders import run_daily

        return run_daily(day)

    def seed_demo(self) -> dict[str, Any]:
        from services.pledge.demo.seed import seed_demo

        return seed_demo()

    def sync_directory(self) -> dict[str, Any]:
        from services.pledge.directory.orgs import sync_directory

        return sync_directory()


service = PledgeService(Base)
