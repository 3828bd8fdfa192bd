"""A person's inbox: newest first, unread filter and count, mark one or all read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.notify.models import InboxMessage
from shared.errors import NotFound
from shared.pagination import paginate


def unread_count(session: Session, person_id: int) -> int:
    return session.execute(select(func.count()).where(
        InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None))).scalar_one()


def page(session: Session, person_id: int, unread_only: bool, page: int, page_size: int) -> dict:
    stmt = (select(InboxMessage).where(InboxMessage.person_id == person_id)
            .order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc()))
    if unread_only:
        stmt = stmt.where(InboxMessage.read_at.is_(None))
    result = paginate(session, stmt, page, page_size)
    result["unread"] = unread_count(session, person_id)
    return result


def mark_read(session: Session, person_id: int, message_id: int, now: datetime) -> None:
    message = session.get(InboxMessage, message_id)
    if message is None or message.person_id != person_id:
        raise NotFound()
    if message.read_at is None:
        message.read_at = now


def mark_all_read(session: Session, person_id: int, now: datetime) -> int:
    result = session.execute(update(InboxMessage).where(
        InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None)).values(read_at=now))
    return result.rowcount
