"""Who a notification reaches: explicit people, people with personal items, or an org subtree."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notify.directory.lookups import org_path
from services.notify.directory.models import directory
from services.notify.notifications.models import NotificationItem
from shared.directory import subtree_people_query


def _subtree_stmt(session: Session, spec: dict):
    if spec.get("org_id") is None:
        return None
    path = org_path(session, spec["org_id"])
    if path is None:
        return None
    stmt = subtree_people_query(directory, spec["org_id"], path, spec.get("subtree", True),
                                spec.get("party_members_only", False))
    return stmt.with_only_columns(directory.people.c.id)


def resolve(session: Session, spec: dict, notification_id: int | None = None) -> list[int]:
    """Every recipient, once, in id order."""
    ids = {int(i) for i in spec.get("person_ids") or ()}
    if notification_id is not None:
        ids.update(session.execute(
            select(NotificationItem.person_id).where(NotificationItem.notification_id == notification_id)
        ).scalars())
    stmt = _subtree_stmt(session, spec)
    if stmt is not None:
        ids.update(session.execute(stmt).scalars())
    return sorted(ids)


def estimate(session: Session, spec: dict, item_ids: Iterable[int] = ()) -> int:
    """How many people ``spec`` reaches, counted in the database (cheap enough for a request)."""
    explicit = {int(i) for i in spec.get("person_ids") or ()} | set(item_ids)
    stmt = _subtree_stmt(session, spec)
    if stmt is None:
        return len(explicit)
    subtree = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    if not explicit:
        return subtree
    inside = session.execute(select(func.count()).select_from(
        stmt.where(directory.people.c.id.in_(explicit)).subquery())).scalar_one()
    return subtree + len(explicit) - inside


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
