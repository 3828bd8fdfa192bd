"""Celery tasks of the pledge service (queue ``pledge``): thin, idempotent, each calls one use case."""

from __future__ import annotations

from datetime import datetime

from services.pledge.app import service
from services.pledge.directory import sync
from services.pledge.directory.importing import jobs
from services.pledge.pledges import reminders, scores
from shared.messages import PledgeScoresReady

app = service.celery


@app.task(name="pledge.import_directory", ignore_result=True, acks_late=True)
def import_directory(message: dict) -> str:
    """Run a directory import job (redelivery runs it again: it upserts)."""
    return jobs.run_job(service.unit_of_work, message["job_id"])


@app.task(name="pledge.resume_imports", ignore_result=True)
def resume_imports(message: dict | None = None) -> int:
    """Import jobs whose worker died are queued again."""
    return jobs.resume_stale(service.unit_of_work)


@app.task(name="pledge.sync_directory", ignore_result=True)
def sync_directory(message: dict | None = None) -> dict:
    """Publish a full snapshot of the directory for survey and notify."""
    return sync.sync_directory(service.unit_of_work)


@app.task(name="pledge.evaluation_scores", ignore_result=True)
def evaluation_scores(message: dict) -> int:
    """Survey's 评诺 results: scores onto the pledges (the ledger shows them)."""
    with service.unit_of_work() as ctx:
        return scores.apply_scores(ctx.session, PledgeScoresReady.from_payload(message))


@app.task(name="pledge.daily", ignore_result=True)
def daily(message: dict | None = None) -> dict:
    """The nightly reminders for today (in ``XIANFENG_TIME_ZONE``) or ``message["date"]``."""
    with service.unit_of_work() as ctx:
        day = (message or {}).get("date")
        return reminders.run_daily(ctx, datetime.fromisoformat(day).date() if day else ctx.today())
