"""Celery tasks of the pledge service (queue ``pledge``): thin, idempotent, each calls one use case."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import services.pledge.models  # noqa: F401
from services.pledge.app import service
from services.pledge.directory import orgs as directory
from services.pledge.directory.importing import jobs as import_job
from services.pledge.pledges import reminders, scores
from shared.messages import PledgeScoresReady

app = service.celery


@app.task(name="pledge.import_directory", ignore_result=True, acks_late=True)
def import_directory(message: dict) -> str:
    """Run a directory import job (redelivery runs it again: it upserts)."""
    return import_job.run_job(message["job_id"])


@app.task(name="pledge.resume_imports", ignore_result=True)
def resume_imports(message: dict | None = None) -> int:
    """Import jobs whose worker died are queued again."""
    return import_job.resume_stale()


@app.task(name="pledge.sync_directory", ignore_result=True)
def sync_directory(message: dict | None = None) -> dict:
    """Publish a full snapshot of the directory for survey and notify."""
    return directory.sync_directory()


@app.task(name="pledge.evaluation_scores", ignore_result=True)
def evaluation_scores(message: dict) -> int:
    """Survey's 评诺 results: scores onto the pledges (the ledger shows them)."""
    return scores.apply_scores(PledgeScoresReady.from_payload(message))


@app.task(name="pledge.daily", ignore_result=True)
def daily(message: dict | None = None) -> dict:
    """The nightly reminders for today (Asia/Shanghai) or ``message["date"]``."""
    day = (message or {}).get("date") or datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    return reminders.run_daily(datetime.fromisoformat(day).date())
