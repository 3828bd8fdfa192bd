"""Directory import as a job: checked at once in the request, run by task ``pledge.import_directory``.

The task is idempotent: it upserts, so a redelivery after a crash runs the job again from the start.
A job runs in many short transactions (one per chunk), each from ``unit_of_work()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import ClassVar

import structlog
from sqlalchemy import LargeBinary, bindparam, delete, func, select
from sqlalchemy.orm import Session

from services.pledge.directory.importing.files import Sheet, check_file, count_rows, open_sheets
from services.pledge.directory.importing.models import ImportJob, ImportUpload
from services.pledge.directory.importing.upsert import OrgIndex, Outcome, upsert_orgs, upsert_people
from services.pledge.directory.models import Org
from shared.context import Context
from shared.errors import Forbidden, NotFound
from shared.messages import Message
from shared.principal import Principal

log = structlog.get_logger(__name__)
UnitOfWork = Callable[[], AbstractContextManager[Context]]
CHUNK = 1000
MAX_ERRORS = 1000
UPLOAD_SLICE = 4 << 20
STALE = timedelta(minutes=5)  # a running job silent this long lost its worker (at-least-once: run it again)


@dataclass(frozen=True)
class ImportRequested(Message):
    """Internal (pledge → its own queue): run an import job once the request's transaction commits."""

    tasks: ClassVar[tuple[str, ...]] = ("pledge.import_directory",)
    job_id: str


def create_job(ctx: Context, principal: Principal, filename: str, content: bytes, lang: str) -> ImportJob:
    if not (principal.is_admin or principal.is_system or principal.org is not None):
        raise Forbidden()
    kind = check_file(filename, content)
    scope = None if principal.is_admin or principal.is_system else principal.org
    job = ImportJob(id=uuid.uuid4().hex, state="pending", filename=filename[:200], file_kind=kind, lang=lang,
                    done=0, total=0, errors=[], error_count=0, created_by=_actor(principal), scope_org_id=scope)
    ctx.session.add(job)
    ctx.session.add(ImportUpload(job_id=job.id, content=content))
    ctx.session.flush()
    ctx.publish(ImportRequested(job_id=job.id))
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


def read_upload(session: Session, job_id: str) -> bytes:
    """The job's file, fetched in slices of UPLOAD_SLICE bytes: fetched whole, a 90 MB file (10^6 people)
    passes through the driver as hex text and copies, several times its size at once in the worker."""
    content = ImportUpload.__table__.c.content
    where = ImportUpload.job_id == job_id
    size = session.scalar(select(func.length(content)).where(where)) or 0
    piece = select(func.substr(content, bindparam("start"), UPLOAD_SLICE, type_=LargeBinary)).where(where)
    return b"".join(session.scalar(piece, {"start": start + 1}) for start in range(0, size, UPLOAD_SLICE))


def run_job(unit_of_work: UnitOfWork, job_id: str, today: date | None = None) -> str:
    """Run (or re-run) a job to the end; returns its final state.

    A job another worker is running (fresh heartbeat) is left alone; a finished one is not run again."""
    with unit_of_work() as ctx:
        s, today = ctx.session, today or ctx.today()
        job = s.get(ImportJob, job_id)
        if job is None or job.state in ("done", "failed"):
            return job.state if job else "missing"
        if job.state == "running" and job.heartbeat_at and job.heartbeat_at > ctx.now() - STALE:
            return "running"
        content, kind, lang = read_upload(s, job_id), job.file_kind, job.lang
        scope = s.get(Org, job.scope_org_id).path if job.scope_org_id else None
        job.state, job.done, job.errors, job.error_count = "running", 0, [], 0
        job.created_orgs = job.created_people = 0
        job.heartbeat_at = ctx.now()
        job.total = count_rows(kind, content)
        limit = ctx.settings.import_max_org_rows
    try:
        for sheet in open_sheets(kind, content):
            _run_sheet(unit_of_work, job_id, sheet, lang, scope, today, limit)
    except Exception as exc:
        log.error("import_failed", job_id=job_id, error=type(exc).__name__)
        _finish(unit_of_work, job_id, "failed", f"{type(exc).__name__}: {str(exc)[:300]}")
        return "failed"
    _finish(unit_of_work, job_id, "done", None)
    return "done"


def _run_sheet(unit_of_work: UnitOfWork, job_id: str, sheet: Sheet, lang: str, scope: str | None,
               today: date, limit: int) -> None:
    if sheet.kind == "orgs":
        rows = list(islice(sheet.rows, limit + 1))  # held and resolved together (parents in any order)
        if len(rows) > limit:
            raise ValueError(f"more than {limit} org rows in one file (XIANFENG_IMPORT_MAX_ORG_ROWS); split the file")
        with unit_of_work() as ctx:
            outcome = upsert_orgs(ctx, rows, OrgIndex.load(ctx.session), lang, scope)
            _progress(ctx, job_id, len(rows), outcome, "created_orgs")
        return
    with unit_of_work() as ctx:
        index = OrgIndex.load(ctx.session)
    seen: dict[str, int] = {}
    while chunk := list(islice(sheet.rows, CHUNK)):
        with unit_of_work() as ctx:
            outcome = upsert_people(ctx, chunk, index, lang, today, seen, scope)
            _progress(ctx, job_id, len(chunk), outcome, "created_people")


def _progress(ctx: Context, job_id: str, n: int, outcome: Outcome, created_field: str) -> None:
    job = ctx.session.get(ImportJob, job_id)
    job.heartbeat_at = ctx.now()
    job.done += n
    setattr(job, created_field, getattr(job, created_field) + outcome.created)
    job.error_count += len(outcome.errors)
    room = MAX_ERRORS - len(job.errors)
    if room > 0 and outcome.errors:
        job.errors = [*job.errors, *(e.as_dict() for e in outcome.errors[:room])]


def resume_stale(unit_of_work: UnitOfWork, now: datetime | None = None) -> int:
    """Queue again the jobs whose worker died (the broker only redelivers after its visibility timeout)."""
    with unit_of_work() as ctx:
        now = now or ctx.now()
        stale = list(ctx.session.scalars(select(ImportJob).where(
            ImportJob.state.in_(("pending", "running")), ImportJob.created_at < now - STALE,
            (ImportJob.heartbeat_at.is_(None)) | (ImportJob.heartbeat_at < now - STALE))))
        for job in stale:
            job.state, job.heartbeat_at = "pending", now
            ctx.publish(ImportRequested(job_id=job.id))
    return len(stale)


def _finish(unit_of_work: UnitOfWork, job_id: str, state: str, message: str | None) -> None:
    with unit_of_work() as ctx:
        job = ctx.session.get(ImportJob, job_id)
        job.state, job.message, job.finished_at = state, message, ctx.now()
        if state == "done":
            job.total = job.done  # exact (an XLSX's stated dimensions count blank rows too)
        ctx.session.execute(delete(ImportUpload).where(ImportUpload.job_id == job_id))  # without loading it
