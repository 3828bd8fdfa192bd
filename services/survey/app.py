"""The survey service object: each context's routes and pages, the beat, the gauges and the nightly run."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from typing import Any

from celery.schedules import crontab
from flask import Flask
from sqlalchemy.orm import Session

from services.survey import models  # noqa: F401  (every table on the metadata)
from services.survey.aggregation import inline
from services.survey.aggregation import routes as aggregation_routes
from services.survey.ballots import limits, release
from services.survey.ballots import pages as ballot_pages
from services.survey.ballots import routes as ballot_routes
from services.survey.db import Base
from services.survey.directory.models import directory
from services.survey.results import pages as results_pages
from services.survey.results import routes as results_routes
from services.survey.rounds import actions, progress, reminders
from services.survey.rounds import routes as round_routes
from services.survey.scorecards import computing as scorecards
from services.survey.scorecards import pages as scorecard_pages
from services.survey.scorecards import routes as scorecard_routes
from shared.directory import status_blueprint
from shared.service import Service
from shared.web import Api

# A round's results and its re-aggregation are operations on the round: declared in their own contexts,
# nested under the rounds blueprint (one "rounds" tag in the OpenAPI, the same /api/v1/rounds/… paths).
round_routes.blp.register_blueprint(aggregation_routes.blp)
round_routes.blp.register_blueprint(results_routes.blp)


class SurveyService(Service):
    name = "survey"
    title = "xianfeng survey service — 三测评与评诺"
    description = "Three-way evaluation (三测评) and pledge evaluation (评诺) rounds, anonymous ballots, results."
    package = "services.survey"
    tasks_module = "services.survey.tasks"

    def start(self, *args: Any, **kwargs: Any):
        """As every service; and each commit that released pooled answers scrubs the pool after it."""
        before = self.runtime
        runtime = super().start(*args, **kwargs)
        if runtime is not before:
            release.scrub_after_release(runtime.db)
        return runtime

    def register_api(self, app: Flask, api: Api) -> None:
        api.register_blueprint(status_blueprint(directory))
        api.register_blueprint(round_routes.blp)
        api.register_blueprint(results_routes.me_blp)
        api.register_blueprint(ballot_routes.blp)
        api.register_blueprint(scorecard_routes.blp)
        app.register_blueprint(ballot_pages.blp)
        app.register_blueprint(results_pages.blp)
        app.register_blueprint(scorecard_pages.blp)
        # the public ballot endpoints (and the pages) are rate limited per client address and per token
        app.extensions["survey_limiter"] = limits.rate_limit(
            app, (ballot_routes.blp, ballot_pages.blp, results_pages.blp))

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            "survey.close_due": {"task": "survey.close_due", "schedule": 60.0},
            "survey.release_answers": {"task": "survey.release_answers", "schedule": 60.0},
            "survey.remind_due": {"task": "survey.remind_due", "schedule": 300.0},
            "survey.requeue_stale": {"task": "survey.requeue_stale", "schedule": timedelta(hours=1)},
            "survey.resume_openings": {"task": "survey.resume_openings", "schedule": timedelta(minutes=10)},
            "survey.scorecards_nightly": {"task": "survey.scorecards_nightly", "schedule": crontab(hour=2, minute=30)},
        }

    def metrics(self, session: Session) -> list:
        """Rounds per kind and state; issued/used ballots and response rate of each open round."""
        return progress.gauges(session)

    def daily(self, day: date) -> dict[str, Any]:
        """As the scheduler would by the end of ``day``: close due rounds, send due reminders, aggregate, then
        recompute the scorecards of ``day``'s year from the latest facts and results (the same figures
        however often it is replayed; ``computed_at`` is the end of ``day``)."""
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.runtime.settings.zone)
        at_end = functools.partial(self.unit_of_work, clock=lambda: end)
        with at_end() as ctx:
            closed = actions.close_due(ctx)
            reminded = reminders.remind_due(ctx)
            pending = inline.waiting(ctx.session)
        aggregated = [rid for rid in pending if inline.run(at_end, rid)]
        scored = scorecards.run(at_end, day.year)
        return {"closed": closed, "reminded": reminded, "aggregated": aggregated, "scorecards": scored}


service = SurveyService(Base)
