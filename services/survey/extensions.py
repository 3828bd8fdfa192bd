"""The survey service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from shared.db import make_base
from shared.service import Service
from shared.web import Api

Base = make_base()
LOCAL = ZoneInfo("Asia/Shanghai")


class SurveyService(Service):
    name = "survey"
    title = "xianfeng survey service — 三测评与评诺"
    description = "Three-way evaluation (三测评) and pledge evaluation (评诺) rounds, anonymous ballots, results."
    package = "services.survey"
    tasks_module = "services.survey.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.survey.api import register

        register(app, api)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            "survey.close_due": {"task": "survey.close_due", "schedule": 60.0},
            "survey.remind_due": {"task": "survey.remind_due", "schedule": 300.0},
            "survey.requeue_stale": {"task": "survey.requeue_stale", "schedule": timedelta(hours=1)},
        }

    def daily(self, day: date) -> dict[str, Any]:
        """As the scheduler would by the end of ``day``: close due rounds, send due reminders, aggregate."""
        from services.survey import aggregation, rounds
        from services.survey.models import Round

        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
        with self.db.session() as session:
            closed = rounds.close_due(session, end)
            reminded = rounds.remind_due(session, end)
            pending = session.scalars(Round.__table__.select().with_only_columns(Round.id)
                                      .where(Round.state.in_(("closed", "aggregating")))).all()
        aggregated = [rid for rid in pending if aggregation.run_inline(self.db, rid, end)]
        return {"closed": closed, "reminded": reminded, "aggregated": aggregated}


service = SurveyService(Base)
