"""The survey service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from shared.db import make_base
from shared.service import Service
from shared.web import Api

Base = make_base()


class SurveyService(Service):
    name = "survey"
    title = "xianfeng survey service — 三测评与评诺"
    description = "Three-way evaluation (三测评) and pledge evaluation (评诺) rounds, anonymous ballots, results."
    package = "services.survey"
    tasks_module = "services.survey.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.survey.api import register

        register(app, api)

    def daily(self, day: date) -> dict[str, Any]:
        return {}


service = SurveyService(Base)
