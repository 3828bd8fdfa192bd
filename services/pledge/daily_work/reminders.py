"""Nightly reminders of daily work, through notify (``SendNotification``, each key once in ``sent_reminders``):

- ``zone_check``: a zone's check falls due (monthly by default) — to its holders, on the day and weekly
  while undone;
- ``post_ending``: a post or badge ends within 7 days — to its holder and the secretaries of its org, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain.service import ending_within
from services.pledge.daily_work.domain.zones import check_reminder_due, next_check_due
from services.pledge.daily_work.models import Post, Zone, ZoneCheck
from services.pledge.directory.lookups import secretaries
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.models import SentReminder
from shared import links
from shared.context import Context
from shared.messages import Recipients, SendNotification

POST_NOTICE_DAYS = 7


def zone_check_messages(ctx: Context, day: date) -> Iterator[SendNotification]:
    last = (select(ZoneCheck.zone_id, func.max(ZoneCheck.checked_on).label("last")).group_by(ZoneCheck.zone_id)
            .subquery())
    rows = ctx.session.execute(select(Zone, last.c.last).outerjoin(last, last.c.zone_id == Zone.id)
                               .where(Zone.since <= day).order_by(Zone.id)).all()
    for zone, last_check in rows:
        due = next_check_due(zone.since, last_check, zone.check_every_days)
        if not zone.holder_ids or not check_reminder_due(due, day):
            continue
        yield SendNotification(
            key=f"zone_check:{zone.id}:{due.isoformat()}:{day.isoformat()}", category="zone_check",
            subject=f"责任区检查到期：{zone.name}",
            body=f"党员责任区「{zone.name}」应于 {due.isoformat()} 前完成本期检查，请逐项对照承诺保证事项开展检查。",
            link=links.absolute(ctx.settings, "pledge", f"/board/{zone.org_id}"),
            recipients=Recipients(person_ids=zone.holder_ids), source="pledge")


def _post_recipients(session: Session, post: Post) -> list[int]:
    return list(dict.fromkeys([post.holder_id, *secretaries(session, post.org_id)]))


def post_ending_messages(ctx: Context, day: date) -> Iterator[SendNotification]:
    stmt = (select(Post, Person.name).join(Person, Person.id == Post.holder_id)
            .where(Post.until.is_not(None), Post.until >= day, Post.until <= day + timedelta(days=POST_NOTICE_DAYS))
            .order_by(Post.id))
    for post, holder_name in ctx.session.execute(stmt).all():
        if not ending_within(post.until, day, POST_NOTICE_DAYS):
            continue
        org_name = ctx.session.scalar(select(Org.name).where(Org.id == post.org_id))
        yield SendNotification(
            key=f"post_ending:{post.id}:{post.until.isoformat()}", category="post_ending",
            subject=f"岗位即将到期：{post.title}",
            body=f"{org_name} {holder_name} 的「{post.title}」将于 {post.until.isoformat()} 到期，请及时续聘或交接。",
            link=links.absolute(ctx.settings, "pledge", f"/board/{post.org_id}"),
            recipients=Recipients(person_ids=_post_recipients(ctx.session, post)), source="pledge")


def _send_once(ctx: Context, message: SendNotification) -> bool:
    if ctx.session.get(SentReminder, message.key) is not None:
        return False
    ctx.session.add(SentReminder(key=message.key))
    ctx.publish(message)
    return True


def run_daily(ctx: Context, day: date) -> dict[str, int]:
    """The nightly daily-work reminders for ``day``; the same date twice sends nothing twice."""
    report = {"zone_check": 0, "post_ending": 0}
    for message in [*zone_check_messages(ctx, day), *post_ending_messages(ctx, day)]:
        report[message.category] += int(_send_once(ctx, message))
    return report
