"""Directory import as a job: checked at once in the request, run by task ``pledge.import_directory``.

The task is idempotent: it upserts, so a redelivery after a crash runs the job again from the start.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import ClassVar

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.app import service
from services.pledge.directory.importing.files import Sheet, check_file, count_rows, open_sheets
from services.pledge.directory.importing.upsert import OrgIndex, Outcome, upsert_orgs, upsert_people
from services.pledge.pledges.models import ImportJob, ImportUpload, Org
from shared.auth import Principal
from shared.db import utcnow
from shared.errors import Forbidden, NotFound
from shared.messages import Message

log = structlog.get_logger(__name__)
CHUNK = 1000
MAX_ERRORS = 1000
# org rows are held and resolved together (parents in any order): a file may hold this many, far above a group's
# org chart; beyond it the job fails at once with a clear message instead of exhausting the worker's memory
MAX_ORG_ROWS = 10_000
STALE = timedelta(minutes=5)  # a running job silent this long lost its worker (at-least-once: run it again)


@dataclass(frozen=True)
class ImportRequested(Message):
    """Internal (pledge → its own queue): run an import job once the request's transaction commits."""

    tasks: ClassVar[tuple[str, ...]] = ("pledge.import_directory",)
    job_id: str


def create_job(session: Session, principal: Principal, filename: str, content: bytes, lang: str) -> ImportJob:
    if not (principal.is_admin or principal.is_system or principal.org is not None):
        raise Forbidden()
    kind = check_file(filename, content)
    scope = None if principal.is_admin or principal.is_system else principal.org
    job = ImportJob(id=uuid.uuid4().hex, state="pending", filename=filename[:200], file_kind=kind, lang=lang,
                    done=0, total=0, errors=[], error_count=0, created_by=_actor(principal), scope_org_id=scope)
    session.add(job)
    session.add(ImportUpload(job_id=job.id, content=content))
    session.flush()
    service.publish(session, ImportRequested(job_id=job.id))
    return job


def _actor(principal: Principal) -> str:
    return f"{'/'.join(sorted(principal.roles))}:{principal.sub or principal.org or ''}"[:64]


def get_job(session: Session, principal: Principal, job_id: str) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound()
    if not (principal.is_admin or principal.is_system or job.created_by == _actor(principal)):
        raise Forbidden()
    return job


def run_job(job_id: str, today: date | None = None) -> str:
    """Run (or re-run) a job to the end; returns its final state.

    A job another worker is running (fresh heartbeat) is left alone; a finished one is not run again."""
    today = today or date.today()
    with service.db.session() as s:
        job = s.get(ImportJob, job_id)
        if job is None or job.state in ("done", "failed"):
            return job.state if job else "missing"
        if job.state == "running" and job.heartbeat_at and job.heartbeat_at > utcnow() - STALE:
            return "running"
        upload = s.get(ImportUpload, job_id)
        content, kind, lang = upload.content, job.file_kind, job.lang
        scope = s.get(Org, job.scope_org_id).path if job.scope_org_id else None
        job.state, job.done, job.errors, job.error_count = "running", 0, [], 0
        job.created_orgs = job.created_people = 0
        job.heartbeat_at = utcnow()
        job.total = count_rows(kind, content)
    try:
        for sheet in open_sheets(kind, content):
            _run_sheet(job_id, sheet, lang, scope, today)
    except Exception as exc:
        log.error("import_failed", job_id=job_id, error=type(exc).__name__)
        _finish(job_id, "failed", f"{type(exc).__name__}: {str(exc)[:300]}")
        return "failed"
    _finish(job_id, "done", None)
    return "done"


def _run_sheet(job_id: str, sheet: Sheet, lang: str, scope: str | None, today: date) -> None:
    if sheet.kind == "orgs":
        rows = list(islice(sheet.rows, MAX_ORG_ROWS + 1))
        if len(rows) > MAX_ORG_ROWS:
            raise ValueError(f"more than {MAX_ORG_ROWS} org rows in one file; split the file")
        with service.db.session() as s:
            outcome = upsert_orgs(s, rows, OrgIndex.load(s), lang, scope)
            _progress(s, job_id, len(rows), outcome, "created_orgs")
        return
    with service.db.session() as s:
        index = OrgIndex.load(s)
    seen: dict[str, int] = {}
    while chunk := list(islice(sheet.rows, CHUNK)):
        with service.db.session() as s:
            outcome = upsert_people(s, chunk, index, lang, today, seen, scope)
            _progress(s, job_id, len(chunk), outcome, "created_people")


def _progress(session: Session, job_id: str, n: int, outcome: Outcome, created_field: str) -> None:
    job = session.get(ImportJob, job_id)
    job.heartbeat_at = utcnow()
    job.done += n
    setattr(job, created_field, getattr(job, created_field) + outcome.created)
    job.error_count += len(outcome.errors)
    room = MAX_ERRORS - len(job.errors)
    if room > 0 and outcome.errors:
        job.errors = [*job.errors, *(e.as_dict() for e in outcome.errors[:room])]


def resume_stale(now: datetime | None = None) -> int:
    """Queue again the jobs whose worker died (the broker only redelivers after its visibility timeout)."""
    now = now or utcnow()
    with service.db.session() as s:
        stale = list(s.scalars(select(ImportJob).where(
            ImportJob.state.in_(("pending", "running")), ImportJob.created_at < now - STALE,
            (ImportJob.heartbeat_at.is_(None)) | (ImportJob.heartbeat_at < now - STALE))))
        for job in stale:
            job.state, job.heartbeat_at = "pending", now
            service.publish(s, ImportRequested(job_id=job.id))
    return len(stale)


def _finish(job_id: str, state: str, message: str | None) -> None:
    with service.db.session() as s:
        job = s.get(ImportJob, job_id)
        job.state, job.message, job.finished_at = state, message, utcnow()
        if state == "done":
            job.total = job.done  # exact (an XLSX's stated dimensions count blank rows too)
        upload = s.get(ImportUpload, job_id)
        if upload is not None:
            s.delete(upload)
