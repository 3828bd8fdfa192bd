"""Who may do what: role AND org subtree, from the directory projection."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notify.models import Notification, directory
from shared.auth import Principal, require_org, require_self_or
from shared.directory import lineage, path_ids
from shared.errors import Forbidden


def person_lineage(session: Session, person_id: int) -> list[int]:
    p = directory.people
    path = session.execute(select(p.c.org_path).where(p.c.id == person_id)).scalar()
    return path_ids(path) if path else []


def require_person(principal: Principal, session: Session, person_id: int) -> None:
    """The person themself, an admin, a system caller, or an org admin over the person's org."""
    if principal.is_system or principal.is_admin or principal.person_id == person_id:
        return  # no directory lookup on the hot path of a person reading their own inbox
    require_self_or(principal, person_id, person_lineage(session, person_id))


def require_org_or_global(principal: Principal, session: Session, org_id: int | None) -> None:
    """An org-scoped resource: admins and system callers for any org (or none); org admins for their subtree."""
    if principal.is_admin or principal.is_system:
        return
    if org_id is None:
        raise Forbidden("org_forbidden")
    require_org(principal, lineage(session, directory, org_id))


def require_sender(principal: Principal, session: Session, org_id: int | None, person_ids: set[int]) -> None:
    """Org admins may notify only their own subtree (the org and every explicit person in it)."""
    if principal.is_admin or principal.is_system:
        return
    if org_id is not None:
        require_org(principal, lineage(session, directory, org_id))
    if person_ids:
        p = directory.people
        own_path = session.execute(select(directory.orgs.c.path).where(directory.orgs.c.id == principal.org)).scalar()
        inside = 0 if own_path is None else session.execute(select(func.count()).where(
            p.c.id.in_(person_ids), p.c.org_path.startswith(own_path))).scalar_one()
        if inside != len(person_ids):
            raise Forbidden("org_forbidden")


def require_notification(principal: Principal, session: Session, notification: Notification) -> None:
    if principal.is_admin or principal.is_system or notification.created_by == tag(principal):
        return
    org_id = (notification.recipients or {}).get("org_id")
    if org_id is None:
        raise Forbidden()
    require_org(principal, lineage(session, directory, org_id))


def tag(principal: Principal) -> str:
    """Who created something, for the record (no token, no secret)."""
    if principal.is_admin:
        return f"admin:{principal.sub or ''}"[:64]
    if principal.is_system:
        return f"system:{principal.sub or ''}"[:64]
    return f"org_admin:{principal.org}"
