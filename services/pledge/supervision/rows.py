"""Rows a request names or adds: an org or person in a body (unknown → 422 on that field), and a row added
once (a unique-constraint violation → 409)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org, Person
from shared.errors import Conflict, ValidationFailed, field_errors
from shared.i18n import bilingual

T = TypeVar("T")


def org_for_field(session: Session, org_id: int, field: str = "org_id") -> Org:
    """An org named in a request body: unknown → 422 on that field (not 404: the URL exists)."""
    org = fetch(session, Org, org_id)
    if org is None:
        raise ValidationFailed(errors=field_errors(**{field: bilingual("组织不存在", "no such org")}))
    return org


def person_for_field(session: Session, person_id: int | None, field: str) -> Person | None:
    """A person named in a request body: unknown → 422 on that field."""
    if person_id is None:
        return None
    person = fetch(session, Person, person_id)
    if person is None:
        raise ValidationFailed(errors=field_errors(**{field: bilingual("人员不存在", "no such person")}))
    return person


def insert_once(session: Session, row: T, conflict: Conflict) -> T:
    """Add ``row``; a unique-constraint violation becomes ``conflict`` (the transaction lives on)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise conflict from None
    return row
