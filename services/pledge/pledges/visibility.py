"""Who sees a pledge: the parties to it (pledger, reviewer org, its secretaries), loading one the caller may
see, and the filter of the pledges a caller may list."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import in_subtree, org_path, secretaries
from services.pledge.pledges.domain.access import Parties, may_view
from services.pledge.pledges.models import Pledge
from shared import db
from shared.directory import path_ids
from shared.errors import Forbidden, NotFound
from shared.principal import Principal


def parties(session: Session, pledge: Pledge, principal: Principal | None = None) -> Parties:
    reviewer_path = org_path(session, pledge.reviewer_org_id) or ""
    secs = frozenset()
    if principal is not None and principal.person_id is not None and pledge.reviewer_org_id:
        secs = frozenset(secretaries(session, pledge.reviewer_org_id))
    return Parties(pledge.pledger_type, pledge.pledger_id, tuple(path_ids(pledge.org_path)),
                   tuple(path_ids(reviewer_path)), secs, pledge.on_ledger)


def load(session: Session, principal: Principal, pledge_id: int, for_update: bool = False) -> Pledge:
    """The pledge, if the caller may see it (404 unknown, 403 hidden); ``for_update``: locked for a change."""
    stmt = select(Pledge).where(Pledge.id == pledge_id)
    pledge = session.scalar(db.for_update(stmt, session) if for_update else stmt)
    if pledge is None:
        raise NotFound()
    if not may_view(principal, parties(session, pledge, principal)):
        raise Forbidden()
    return pledge


def visible(session: Session, principal: Principal) -> ColumnElement[bool]:
    """Pledges the caller may list: published ones, their own, and (org admins) those of their subtree."""
    if principal.is_admin or principal.is_system:
        return true()
    mine = []
    if principal.person_id is not None:
        mine.append((Pledge.pledger_type == "person") & (Pledge.pledger_id == principal.person_id))
    if "org_admin" in principal.roles and principal.org is not None:
        path = org_path(session, principal.org)
        if path:
            mine.append(in_subtree(Pledge.org_path, path))
    return or_(Pledge.on_ledger.is_(True), *mine)
