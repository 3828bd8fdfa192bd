"""Tables of a directory import: the job (progress, per-row errors) and its uploaded file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.pledge.db import Base
from shared.db import utcnow


class ImportJob(Base):
    """A directory import: progress and per-row errors (in the language of the request)."""

    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | running | done | failed
    filename: Mapped[str] = mapped_column(String(200), default="")
    file_kind: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    lang: Mapped[str] = mapped_column(String(4), default="zh")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_orgs: Mapped[int] = mapped_column(Integer, default=0)
    created_people: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)  # the first MAX_ERRORS row errors
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    scope_org_id: Mapped[int | None] = mapped_column(Integer)  # an org admin's import stays in their subtree
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime | None]  # the last chunk written: a job silent too long is resumed
    finished_at: Mapped[datetime | None]

    @property
    def job_id(self) -> str:
        """The name the API gives the id (the import answers ``job_id``; API.md)."""
        return self.id


class ImportUpload(Base):
    """The uploaded file of a job, kept until the job has run."""

    __tablename__ = "import_uploads"

    job_id: Mapped[str] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
