"""The pledge service object: its metadata, Celery app, each context's routes, beat entries and command-line hooks."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery.schedules import crontab
from flask import Flask

import services.pledge.models  # noqa: F401  (every context's tables on Base.metadata)
from services.pledge.coverage import nudges
from services.pledge.coverage import routes as coverage_routes
from services.pledge.daily_work import reminders as daily_work_reminders
from services.pledge.daily_work import routes as daily_work_routes
from services.pledge.db import Base
from services.pledge.demo import seed
from services.pledge.directory import routes as directory_routes
from services.pledge.directory import sync
from services.pledge.directory.importing import routes as import_routes
from services.pledge.facts import sender as facts
from services.pledge.ledger import pages as ledger_pages
from services.pledge.ledger import routes as ledger_routes
from services.pledge.pledges import pages as pledge_pages
from services.pledge.pledges import reminders
from services.pledge.pledges import routes as pledge_routes
from services.pledge.service_targets import announce
from services.pledge.service_targets import routes as service_target_routes
from services.pledge.suggestions import routes as suggestion_routes
from services.pledge.suggestions import upkeep as suggestion_upkeep
from services.pledge.supervision import routes as supervision_routes
from shared.service import Service
from shared.web import Api

API_BLUEPRINTS = (*directory_routes.BLUEPRINTS, *import_routes.BLUEPRINTS, *pledge_routes.BLUEPRINTS,
                  *ledger_routes.BLUEPRINTS, *supervision_routes.BLUEPRINTS, *service_target_routes.BLUEPRINTS,
                  *coverage_routes.BLUEPRINTS, *suggestion_routes.BLUEPRINTS, *daily_work_routes.BLUEPRINTS)
PAGES = (*ledger_pages.BLUEPRINTS, *pledge_pages.BLUEPRINTS)


class PledgeService(Service):
    name = "pledge"
    title = "xianfeng pledge service — 承诺"
    description = "Directory, carriers (活动载体), pledges (承诺) through review, publication, look-back and close."
    package = "services.pledge"
    tasks_module = "services.pledge.tasks"

    def register_api(self, app: Flask, api: Api) -> None:
        for blueprint in API_BLUEPRINTS:
            api.register_blueprint(blueprint)
        for page in PAGES:
            app.register_blueprint(page)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        return {"pledge.daily": {"task": "pledge.daily", "schedule": crontab(hour=1, minute=5)},
                "pledge.resume_imports": {"task": "pledge.resume_imports", "schedule": 60.0}}

    def daily(self, day: date) -> dict[str, Any]:
        with self.unit_of_work() as ctx:
            report = {**reminders.run_daily(ctx, day), **daily_work_reminders.run_daily(ctx, day)}
        with self.unit_of_work() as ctx:
            report["coverage"] = nudges.run_weekly(ctx, day)
        with self.unit_of_work() as ctx:
            report["scorecard_facts"] = facts.send_facts(ctx, day)
        with self.unit_of_work() as ctx:  # its own short transaction: CLUSTER locks the table while it runs
            suggestion_upkeep.reorder_storage(ctx.session)
        return report

    def seed_demo(self) -> dict[str, Any]:
        return seed.seed_demo(self.unit_of_work)

    def sync_directory(self) -> dict[str, Any]:
        report = sync.sync_directory(self.unit_of_work)
        with self.unit_of_work() as ctx:
            report["service_targets"] = announce.snapshot(ctx)
        return report


service = PledgeService(Base)
