"""Political birthdays (政治生日) for one day: a greeting to each member, a list to their branch secretary.

Each greeting is a notification keyed by person and year, each list by secretary and day, so any
number of runs (beat, ``xianfeng daily``, a retry) sends each once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import and_, extract, or_, select
from sqlalchemy.orm import Session

from services.notify import sending
from services.notify.domain.birthdays import Celebrant, greeting, joined_days_for, secretary_digest, years_on
from services.notify.models import directory
from shared.messages import Recipients, SendNotification

SECRETARY_ROLES = ("secretary", "书记")
CHANNELS = ["inbox", "email"]


def celebrants(session: Session, day: date) -> list[Celebrant]:
    p = directory.people
    on_day = or_(*(and_(extract("month", p.c.joined_party_on) == m, extract("day", p.c.joined_party_on) == d)
                   for m, d in joined_days_for(day)))
    rows = session.execute(select(p.c.id, p.c.name, p.c.org_id, p.c.joined_party_on).where(
        p.c.active.is_(True), p.c.party_member.is_(True), p.c.joined_party_on.is_not(None), on_day)
        .order_by(p.c.id)).all()
    found = [(r, years_on(r.joined_party_on, day)) for r in rows]
    return [Celebrant(r.id, r.name, r.org_id, years) for r, years in found if years]


def secretaries(session: Session, org_ids: set[int]) -> dict[int, list[int]]:
    p = directory.people
    rows = session.execute(select(p.c.id, p.c.org_id, p.c.roles).where(
        p.c.org_id.in_(org_ids), p.c.active.is_(True)).order_by(p.c.id)).all()
    found: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        if any(role in SECRETARY_ROLES for role in r.roles or ()):
            found[r.org_id].append(r.id)
    return found


def political_birthdays(session: Session, publish: sending.Publish, day: date, now: datetime) -> dict[str, int]:
    people = celebrants(session, day)
    greeted = 0
    for c in people:
        subject, body = greeting(c)
        msg = SendNotification(key=f"political_birthday:{day.year}:{c.person_id}", category="political_birthday",
                               subject=subject, body=body, recipients=Recipients(person_ids=[c.person_id]),
                               channels=CHANNELS, source="notify")
        greeted += sending.create(session, publish, msg, now)[1]
    by_org: dict[int, list[Celebrant]] = defaultdict(list)
    for c in people:
        by_org[c.org_id].append(c)
    listed = 0
    for org_id, secretary_ids in secretaries(session, set(by_org)).items():
        for secretary_id in secretary_ids:
            others = [c for c in by_org[org_id] if c.person_id != secretary_id]
            if not others:
                continue
            subject, body = secretary_digest(others)
            msg = SendNotification(key=f"political_birthday_list:{day.isoformat()}:{secretary_id}",
                                   category="political_birthday", subject=subject, body=body,
                                   recipients=Recipients(person_ids=[secretary_id]), channels=CHANNELS,
                                   source="notify")
            listed += sending.create(session, publish, msg, now)[1]
    return {"celebrants": len(people), "greetings_sent": greeted, "secretary_lists_sent": listed}
