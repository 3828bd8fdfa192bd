"""The survey service object: its metadata, Celery app, outbox and hooks for the command line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from services.survey import models  # noqa: F401  (every table on the metadata)
from services.survey.db import Base
from shared.service import Service
from shared.web import Api

LOCAL = ZoneInfo("Asia/Shanghai")


class SurveyService(Service):
    name = "survey"
    title = "xianfeng survey service — 三测评与评诺"
    description = "Three-way evaluation (三测评) and pledge evaluation (评诺) rounds, anonymous ballots, results."
    package = "services.survey"
    tasks_module = "services.survey.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        from services.survey.rounds.routes import register

        register(app, api)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            "survey.close_due": {"task": "survey.close_due", "schedule": 60.0},
            "survey.remind_due": {"task": "survey.remind_due", "schedule": 300.0},
            "survey.requeue_stale": {"task": "survey.requeue_stale", "schedule": timedelta(hours=1)},
        }

    def metrics(self, session) -> list:
        """Rounds per kind and state; issued/used ballots and response rate of each open round."""
        from sqlalchemy import func, select

        from services.survey.rounds.actions import used_count
        from services.survey.rounds.models import Ballot, Round
        from shared.metrics import Sample

        samples = [Sample("survey_rounds", n, {"kind": kind, "state": state}, "rounds by kind and state")
                   for kind, state, n in session.execute(
                       select(Round.kind, Round.state, func.count()).group_by(Round.kind, Round.state))]
        for round_id, issued, used in session.execute(
                select(Ballot.round_id, func.count(), used_count()).join(Round, Round.id == Ballot.round_id)
                .where(Round.state == "open").group_by(Ballot.round_id)):
            labels, used = {"round_id": str(round_id)}, used or 0
            samples += [Sample("survey_ballots_issued", issued, labels), Sample("survey_ballots_used", used, labels),
                        Sample("survey_response_rate", used / issued if issued else 0.0, labels)]
        return samples

    def daily(self, day: date) -> dict[str, Any]:
        """As the scheduler would by the end of ``day``: close due rounds, send due reminders, aggregate."""
        from services.survey.aggregation import steps as aggregation
        from services.survey.rounds import actions as rounds
        from services.survey.rounds.models import Round

        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
        with self.db.session() as session:
            closed = rounds.close_due(session, end)
            reminded = rounds.remind_due(session, end)
            pending = session.scalars(Round.__table__.select().with_only_columns(Round.id)
                                      .where(Round.state.in_(("closed", "aggregating")))).all()
        aggregated = [rid for rid in pending if aggregation.run_inline(self.db, rid, end)]
        return {"closed": closed, "reminded": reminded, "aggregated": aggregated}


service = SurveyService(Base)
