"""Notifications held for digests: written by the chunk that would have delivered them (once per person
× notification: the unique key), listed by the nightly digest run, marked with the digest that listed them
in that digest's own transaction — so a replay or a crash never lists an item twice or loses one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.notify.db import insert_ignore
from services.notify.delivery.models import DigestItem

h = DigestItem.__table__


def hold(session: Session, rows: Sequence[dict]) -> int:
    """``rows``: ``{person_id, notification_id, category, subject, link, created_at}``; how many were new."""
    return len(insert_ignore(session, h, [{**r, "digest_id": None} for r in rows], returning=("id",)))


def people_waiting(session: Session, before: datetime) -> list[int]:
    """People with items held before ``before`` that no digest listed yet."""
    return list(session.execute(select(h.c.person_id).distinct().where(
        h.c.digest_id.is_(None), h.c.created_at < before).order_by(h.c.person_id)).scalars())


def waiting(session: Session, person_id: int, before: datetime) -> list:
    """The person's unlisted items held before ``before``, oldest first."""
    return session.execute(select(h).where(h.c.person_id == person_id, h.c.digest_id.is_(None),
                                           h.c.created_at < before).order_by(h.c.created_at, h.c.id)).all()


def listed_in(session: Session, item_ids: Sequence[int], digest_id: int) -> int:
    """Mark the items as listed by ``digest_id`` (only those no other digest took)."""
    return session.execute(update(h).where(h.c.id.in_(list(item_ids)), h.c.digest_id.is_(None))
                           .values(digest_id=digest_id)).rowcount
