"""A person reads their inbox: newest first, the unread filter and count, mark one or all read.

A private message (a ballot invitation) shows its link and tokens to the person alone: an org admin, an
admin or a system caller reading the same inbox gets the link null and the tokens masked."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.notify.directory.access import require_person
from services.notify.inbox.models import InboxMessage
from shared.auth import Principal
from shared.context import Context
from shared.errors import NotFound
from shared.pagination import page_of
from shared.privacy import redact_message


def unread_count(session: Session, principal: Principal, person_id: int) -> dict:
    require_person(principal, session, person_id)
    return {"unread": session.execute(select(func.count()).select_from(InboxMessage).where(
        InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None))).scalar_one()}


def page(session: Session, principal: Principal, person_id: int, unread_only: bool, page: int,
         page_size: int) -> dict:
    """One page, newest first.  Total and unread are one bare ``count(*)`` on the person's messages:
    counting the page query as a subquery would read every message's row for nothing."""
    require_person(principal, session, person_id)
    mine = [InboxMessage.person_id == person_id]
    if unread_only:
        mine.append(InboxMessage.read_at.is_(None))
    items = session.execute(select(InboxMessage).where(*mine)
                            .order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc())
                            .limit(page_size).offset((page - 1) * page_size)).scalars().all()
    total, unread = session.execute(select(func.count(), func.count().filter(InboxMessage.read_at.is_(None)))
                                    .select_from(InboxMessage).where(*mine)).one()
    if principal.person_id != person_id:
        items = [as_other_reader(m) if m.private else m for m in items]
    return {**page_of(list(items), total, page, page_size), "unread": unread}


def as_other_reader(message: InboxMessage) -> dict:
    """The message as anyone but its person sees it."""
    return redact_message({c: getattr(message, c) for c in (
        "id", "notification_id", "category", "subject", "body", "link", "private", "created_at", "read_at")})


def mark_read(ctx: Context, principal: Principal, person_id: int, message_id: int) -> None:
    """Mark one of the person's messages read (again: no change); 404 for anyone else's."""
    require_person(principal, ctx.session, person_id)
    message = ctx.session.get(InboxMessage, message_id)
    if message is None or message.person_id != person_id:
        raise NotFound()
    if message.read_at is None:
        message.read_at = ctx.now()


def mark_all_read(ctx: Context, principal: Principal, person_id: int) -> dict:
    require_person(principal, ctx.session, person_id)
    result = ctx.session.execute(update(InboxMessage).where(
        InboxMessage.person_id == person_id, InboxMessage.read_at.is_(None)).values(read_at=ctx.now()))
    return {"marked": result.rowcount}
