"""Accepting a notification (idempotent by key): from another service's message or from the API.

Resolving it into chunks of people is :mod:`.resolving`; delivering a chunk is :mod:`.fanout`.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from services.notify.db import insert_ignore
from services.notify.directory.access import require_within, tag
from services.notify.directory.lookups import org_path
from services.notify.notifications import recipients
from services.notify.notifications.commands import ResolveNotification
from services.notify.notifications.models import Notification, NotificationItem
from shared.auth import Principal
from shared.context import Context
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.messages import PersonalItem, Recipients, SendNotification

UNKNOWN_ORG = bilingual("组织不存在", "Unknown organisation")


def recipient_spec(msg: SendNotification) -> dict:
    r = msg.recipients
    return {"person_ids": sorted(set(r.person_ids)), "org_id": r.org_id, "subtree": r.subtree,
            "party_members_only": r.party_members_only}


def accept(ctx: Context, msg: SendNotification, created_by: str | None = None) -> tuple[Notification, bool]:
    """The notification for ``msg.key`` (created once, however often sent) and whether it is new; a new one
    asks for its recipients to be resolved (``ResolveNotification``, relayed after the commit)."""
    session, now = ctx.session, ctx.now()
    spec = recipient_spec(msg)
    row = {"key": msg.key, "category": msg.category, "subject": msg.subject, "body": msg.body or "",
           "link": msg.link, "recipients": spec, "channels": list(dict.fromkeys(msg.channels)),
           "source": msg.source, "private": msg.private, "state": "queued", "total": 0, "recipient_count": 0,
           "processed": 0, "created_by": created_by, "created_at": now, "updated_at": now}
    new = insert_ignore(session, Notification.__table__, [row], returning=("id",))
    notification = session.execute(select(Notification).where(Notification.key == msg.key)).scalar_one()
    if not new:
        return notification, False
    items = {i.person_id: i for i in msg.items}
    insert_ignore(session, NotificationItem.__table__, [
        {"notification_id": notification.id, "person_id": i.person_id, "subject": i.subject, "body": i.body,
         "link": i.link} for i in items.values()])
    count = recipients.estimate(session, spec, items)
    notification.recipient_count, notification.total = count, count * len(notification.channels)
    ctx.publish(ResolveNotification(notification.id))
    return notification, True


def from_request(data: dict) -> SendNotification:
    """``POST /api/v1/notifications``'s body as the message other services send (a fresh key each time)."""
    r = data["recipients"]
    return SendNotification(
        key=f"api:{uuid.uuid4().hex}", category=data["category"], subject=data["subject"], body=data["body"],
        link=data["link"], channels=data["channels"], source="api",
        recipients=Recipients(person_ids=r.get("person_ids", []), org_id=r.get("org_id"),
                              subtree=r.get("subtree", True), party_members_only=r.get("party_members_only", False)),
        items=[PersonalItem(**item) for item in data["items"]], private=data["private"],
    )


def accept_request(ctx: Context, principal: Principal, data: dict) -> dict:
    """An API caller's notification: only to their own subtree, only to an org that exists."""
    msg = from_request(data)
    org_id = msg.recipients.org_id
    require_within(principal, ctx.session, org_id, set(msg.recipients.person_ids) | {i.person_id for i in msg.items})
    if org_id is not None and org_path(ctx.session, org_id) is None:
        raise ValidationFailed(errors={"recipients.org_id": [UNKNOWN_ORG]})
    notification, _ = accept(ctx, msg, tag(principal))
    return {"id": notification.id, "state": notification.state, "total": notification.total,
            "recipients": notification.recipient_count}
