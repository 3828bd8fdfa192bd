"""Who may read and write supervision records, by the org they concern.

- admin: everything; system: reads everything;
- org_admin: reads and writes within its org's subtree;
- member: reads the records of their own org (the branch they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from services.pledge.pledges.models import Org, Person
from services.pledge.supervision.domain.rules import MAX_ID
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual

M = TypeVar("M")


def fetch(session: Session, model: type[M], ident: int | None) -> M | None:
    """``session.get`` for ids from outside (URL, token): a number no row can have finds nothing."""
    return session.get(model, ident) if ident is not None and 0 < ident <= MAX_ID else None


@dataclass(frozen=True)
class ReadScope:
    """The orgs a caller may read: all of them, a subtree (``path`` prefix), or one org."""

    everything: bool = False
    path: str | None = None
    org_id: int | None = None

    def covers(self, org: Org) -> bool:
        if self.everything:
            return True
        if self.path is not None:
            return org.path.startswith(self.path)
        return org.id == self.org_id

    def where(self, org_id_col: InstrumentedAttribute, org_path_col: InstrumentedAttribute) -> ColumnElement[bool]:
        """A filter for rows whose org (id and path columns given) the caller may read."""
        if self.everything:
            return true()
        if self.path is not None:
            return org_path_col.startswith(self.path)
        return org_id_col == self.org_id if self.org_id is not None else false()


def read_scope(session: Session, principal: Principal) -> ReadScope:
    if principal.is_admin or principal.is_system:
        return ReadScope(everything=True)
    if "org_admin" in principal.roles and principal.org is not None:
        org = fetch(session, Org, principal.org)
        if org is not None:
            return ReadScope(path=org.path)
    person = fetch(session, Person, principal.person_id)
    if person is None or not person.active:
        raise Forbidden()
    return ReadScope(org_id=person.org_id)


def get_org(session: Session, org_id: int) -> Org:
    org = fetch(session, Org, org_id)
    if org is None:
        raise NotFound()
    return org


def readable_org(session: Session, principal: Principal, org_id: int) -> Org:
    """The org, if the caller may read its records: 404 unknown, 403 outside the caller's scope."""
    org = get_org(session, org_id)
    if not read_scope(session, principal).covers(org):
        raise Forbidden("org_forbidden")
    return org


def org_filter(org: Org, subtree: bool) -> ColumnElement[bool]:
    """Rows of ``org`` itself, or of its whole subtree (on a statement joined to ``Org``)."""
    return Org.path.startswith(org.path) if subtree else Org.id == org.id


def requested_orgs(session: Session, principal: Principal, args: dict) -> ColumnElement[bool]:
    """A list's ``?org_id=&subtree=1`` as a filter (none without ``org_id``); 403 outside the caller's scope."""
    if args.get("org_id") is None:
        return true()
    return org_filter(readable_org(session, principal, args["org_id"]), bool(args.get("subtree")))


def administered_org(session: Session, principal: Principal, org_id: int) -> Org:
    """The org, if the caller administers it (admin, or org_admin of an ancestor or itself)."""
    org = get_org(session, org_id)
    require_org(principal, path_ids(org.path))
    return org


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
