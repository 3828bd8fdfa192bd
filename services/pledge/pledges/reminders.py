"""Nightly reminders (sent through notify's queue as ``SendNotification``, never written into notify's DB).

- ``pledge_due``: 7 days before the due date, on the day, and weekly while overdue — to the pledger
  (an org's pledge: its secretaries), and to the branch secretaries once overdue; a pledge already 100 %
  complete gets none (it is not overdue, and there is nothing left to remind of);
- ``lookback``: on the first day of a quarter, to every org with published pledges.
Every reminder has a deterministic key and a row in ``sent_reminders``: the same date twice sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import secretaries
from services.pledge.directory.models import Org
from services.pledge.pledges.domain.reminders import due_kind, due_wording, is_quarter_start, quarter_of
from services.pledge.pledges.linking import board_link, pledge_link
from services.pledge.pledges.models import Pledge, SentReminder
from shared.context import Context
from shared.messages import PersonalItem, Recipients, SendNotification
from shared.settings import Settings


def _due_pledges(session: Session, day: date) -> Iterator[Pledge]:
    stmt = select(Pledge).where(Pledge.state == "published", Pledge.due_on <= day + timedelta(days=7),
                                Pledge.completion < 1.0)
    for pledge in session.scalars(stmt.order_by(Pledge.id)):
        if due_kind(pledge.due_on, day):
            yield pledge


def _due_recipients(session: Session, pledge: Pledge, kind: str) -> list[int]:
    people = [pledge.pledger_id] if pledge.pledger_type == "person" else secretaries(session, pledge.org_id)
    if not people and pledge.reviewer_org_id:  # an org without a secretary on record: its reviewer's
        people = secretaries(session, pledge.reviewer_org_id)
    if kind == "overdue" and pledge.reviewer_org_id and pledge.pledger_type == "person":
        people += secretaries(session, pledge.reviewer_org_id)
    return list(dict.fromkeys(people))


def due_message(session: Session, settings: Settings, pledge: Pledge, day: date) -> SendNotification | None:
    """Each recipient's own link opens the pledge page (and from there its board entry)."""
    kind = due_kind(pledge.due_on, day)
    people = _due_recipients(session, pledge, kind)
    if not people:
        return None
    when = due_wording(kind, (pledge.due_on - day).days)
    return SendNotification(
        key=f"pledge_due:{pledge.id}:{pledge.due_on.isoformat()}:{day.isoformat()}", category="pledge_due",
        subject=f"承诺{when}：{pledge.title}",
        body=f"{pledge.pledger_name} 的承诺「{pledge.title}」{when}（到期日 {pledge.due_on.isoformat()}），"
             f"当前完成度 {round(pledge.completion * 100)}%。",
        items=[PersonalItem(person_id=p, link=pledge_link(settings, pledge.id, p)) for p in people],
        source="pledge", private=True,
    )


def lookback_messages(session: Session, settings: Settings, day: date) -> Iterator[SendNotification]:
    quarter = quarter_of(day)
    org_ids = session.scalars(select(Pledge.org_id).where(Pledge.state == "published").distinct())
    for org in session.scalars(select(Org).where(Org.id.in_(list(org_ids))).order_by(Org.id)):
        yield SendNotification(
            key=f"lookback:{org.id}:{day.year}Q{quarter}", category="lookback",
            subject=f"{day.year} 年第 {quarter} 季度承诺“回头看”与每季点评",
            body=f"{org.name}：请对已公开的承诺进行“回头看”，检查长期整改事项的落实情况，并做好本季度点评。",
            link=board_link(settings, org.id),
            recipients=Recipients(org_id=org.id, subtree=False, party_members_only=True), source="pledge",
        )


def _send_once(ctx: Context, message: SendNotification) -> bool:
    if ctx.session.get(SentReminder, message.key) is not None:
        return False
    ctx.session.add(SentReminder(key=message.key))
    ctx.publish(message)
    return True


def run_daily(ctx: Context, day: date) -> dict[str, int]:
    """The nightly reminders for ``day`` (beat and ``xianfeng daily --date``), in one transaction."""
    report = {"pledge_due": 0, "lookback": 0}
    for pledge in list(_due_pledges(ctx.session, day)):
        message = due_message(ctx.session, ctx.settings, pledge, day)
        if message is not None and _send_once(ctx, message):
            report["pledge_due"] += 1
    if is_quarter_start(day):
        for message in list(lookback_messages(ctx.session, ctx.settings, day)):
            report["lookback"] += int(_send_once(ctx, message))
    return report
