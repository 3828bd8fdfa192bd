"""The weekly coverage nudge: each branch's secretaries hear of their branch's gaps, once per person per ISO
week whatever the replays (the first nightly run of a week sends; a key per person and a mark for the week
in ``sent_reminders``), through notify's queue as ``SendNotification`` category ``coverage``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from services.pledge.coverage import finding
from services.pledge.coverage.domain.gaps import KINDS, Window, nudge_lines, week_of
from services.pledge.directory.lookups import secretaries
from services.pledge.directory.models import Org
from services.pledge.pledges.models import SentReminder
from shared import links
from shared.context import Context
from shared.messages import Recipients, SendNotification


def gaps_by_org(ctx: Context, day: date) -> dict[int, list[str]]:
    """Every gap of the group as of ``day``, as kinds per org."""
    out: dict[int, list[str]] = defaultdict(list)
    for root in ctx.session.scalars(select(Org).where(Org.parent_id.is_(None)).order_by(Org.id)):
        finder = finding.Finder(root.path, Window(day), ctx.settings.zone)
        for kind in KINDS:
            for gap in finding.every(ctx.session, finder, kind):
                out[gap["org_id"]].append(kind)
    return out


def _letters(ctx: Context, day: date) -> dict[int, tuple[list[str], int]]:
    """Per secretary: the lines about their branches' gaps, and the first such branch (for the link)."""
    found = gaps_by_org(ctx, day)
    branches = ctx.session.scalars(select(Org).where(Org.kind == "branch", Org.id.in_(list(found))).order_by(Org.id))
    letters: dict[int, tuple[list[str], int]] = {}
    for branch in branches:
        for person in secretaries(ctx.session, branch.id):
            lines, first = letters.get(person, ([], branch.id))
            letters[person] = (lines + nudge_lines(branch.name, found[branch.id]), first)
    return letters


def message(ctx: Context, person: int, week: str, lines: list[str], branch_id: int) -> SendNotification:
    return SendNotification(
        key=f"coverage:{person}:{week}", category="coverage", subject=f"没有空白点：本周（{week}）覆盖情况提醒",
        body="以下事项尚未覆盖，请及时跟进：\n" + "\n".join(lines),
        link=links.absolute(ctx.settings, "pledge", f"/board/{branch_id}"),
        recipients=Recipients(person_ids=[person]), source="pledge")


def run_weekly(ctx: Context, day: date) -> int:
    """The nudges of ``day``'s week, unless that week's were sent already; the number sent."""
    week = week_of(day)
    mark = f"coverage:week:{week}"
    if ctx.session.get(SentReminder, mark) is not None:
        return 0
    sent = 0
    for person, (lines, branch_id) in sorted(_letters(ctx, day).items()):
        note = message(ctx, person, week, lines, branch_id)
        if ctx.session.get(SentReminder, note.key) is None:
            ctx.session.add(SentReminder(key=note.key))
            ctx.publish(note)
            sent += 1
    ctx.session.add(SentReminder(key=mark))
    return sent
