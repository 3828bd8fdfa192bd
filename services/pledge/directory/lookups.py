"""The directory lookups every context uses, written once: an org by id, its path, its secretaries, a subtree."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, literal, select
from sqlalchemy.orm import Session

from services.pledge.directory.domain.rules import MAX_ID, is_secretary
from services.pledge.directory.models import Org, Person
from shared.errors import NotFound

M = TypeVar("M")


def fetch(session: Session, model: type[M], ident: int | None) -> M | None:
    """``session.get`` for ids from outside (URL, token, body): a number no row can have finds nothing."""
    return session.get(model, ident) if ident is not None and 0 < ident <= MAX_ID else None


def get_org(session: Session, org_id: int) -> Org:
    """The org, or 404."""
    org = fetch(session, Org, org_id)
    if org is None:
        raise NotFound()
    return org


def org_path(session: Session, org_id: int | None) -> str | None:
    """The materialised path of an org (``"/1/5/9/"``), ``None`` when there is no such org."""
    if org_id is None:
        return None
    return session.scalar(select(Org.path).where(Org.id == org_id))


def secretaries(session: Session, org_id: int) -> list[int]:
    """Active people of an org whose roles include secretary (书记)."""
    rows = session.execute(
        select(Person.id, Person.roles).where(Person.org_id == org_id, Person.active.is_(True))
    ).all()
    return [r.id for r in rows if is_secretary(r.roles)]


def in_subtree(column, path: str) -> ColumnElement[bool]:
    """``column`` starts with ``path`` (a materialised path: digits and slashes, safe to inline so the
    planner sees a constant prefix and uses the index)."""
    return column.like(literal(path + "%", literal_execute=True))
