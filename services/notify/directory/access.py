"""Who may do what: role AND org subtree, read from the directory projection.

The roles are checked by ``@blp.authorize`` before a route runs; these checks need the object's org
or person, so the use cases call them.  They live beside the lookups they are made of, and every
context that guards something by subtree (inbox, preferences, notifications, webhooks) uses them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notify.directory.lookups import all_inside, org_lineage, person_lineage
from shared.auth import Principal, require_org, require_self_or
from shared.errors import Forbidden


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
    require_org(principal, org_lineage(session, org_id))


def require_within(principal: Principal, session: Session, org_id: int | None, person_ids: set[int]) -> None:
    """Org admins may reach only their own subtree (the org and every explicit person in it)."""
    if principal.is_admin or principal.is_system:
        return
    if org_id is not None:
        require_org(principal, org_lineage(session, org_id))
    if person_ids and not all_inside(session, principal.org, person_ids):
        raise Forbidden("org_forbidden")


def tag(principal: Principal) -> str:
    """Who created something, for the record (no token, no secret)."""
    if principal.is_admin:
        return f"admin:{principal.sub or ''}"[:64]
    if principal.is_system:
        return f"system:{principal.sub or ''}"[:64]
    return f"org_admin:{principal.org}"
