"""Political birthdays (政治生日) for one day: a greeting to each member, a list to their branch secretary.

Each greeting is a notification keyed by person and year, each list by secretary and day, so any
number of runs (beat, ``xianfeng daily``, a retry) sends each once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from services.notify.birthdays.celebrants import celebrants
from services.notify.birthdays.domain.political_birthday import Celebrant, greeting, secretary_digest
from services.notify.directory.lookups import secretaries
from services.notify.notifications.accepting import accept
from shared.context import Context
from shared.messages import Recipients, SendNotification

CHANNELS = ["inbox", "email"]


def political_birthdays(ctx: Context, day: date) -> dict[str, int]:
    people = celebrants(ctx.session, day)
    greeted = sum(_greet(ctx, day, c) for c in people)
    by_org: dict[int, list[Celebrant]] = defaultdict(list)
    for c in people:
        by_org[c.org_id].append(c)
    listed = 0
    for org_id, secretary_ids in secretaries(ctx.session, set(by_org)).items():
        for secretary_id in secretary_ids:
            others = [c for c in by_org[org_id] if c.person_id != secretary_id]
            if others:
                listed += _list_for_secretary(ctx, day, secretary_id, others)
    return {"celebrants": len(people), "greetings_sent": greeted, "secretary_lists_sent": listed}


def _greet(ctx: Context, day: date, c: Celebrant) -> bool:
    subject, body = greeting(c)
    return _send(ctx, f"political_birthday:{day.year}:{c.person_id}", subject, body, c.person_id)


def _list_for_secretary(ctx: Context, day: date, secretary_id: int, others: list[Celebrant]) -> bool:
    subject, body = secretary_digest(others)
    return _send(ctx, f"political_birthday_list:{day.isoformat()}:{secretary_id}", subject, body, secretary_id)


def _send(ctx: Context, key: str, subject: str, body: str, person_id: int) -> bool:
    msg = SendNotification(key=key, category="political_birthday", subject=subject, body=body,
                           recipients=Recipients(person_ids=[person_id]), channels=CHANNELS, source="notify")
    return accept(ctx, msg)[1]
