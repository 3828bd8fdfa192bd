"""Whose political birthday (政治生日) falls on a day: active party members by their joining date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, extract, or_, select
from sqlalchemy.orm import Session

from services.notify.birthdays.domain.political_birthday import Celebrant, joined_days_for, years_on
from services.notify.directory.models import directory


def celebrants(session: Session, day: date) -> list[Celebrant]:
    p = directory.people
    on_day = or_(*(and_(extract("month", p.c.joined_party_on) == m, extract("day", p.c.joined_party_on) == d)
                   for m, d in joined_days_for(day)))
    rows = session.execute(select(p.c.id, p.c.name, p.c.org_id, p.c.joined_party_on).where(
        p.c.active.is_(True), p.c.party_member.is_(True), p.c.joined_party_on.is_not(None), on_day)
        .order_by(p.c.id)).all()
    found = [(r, years_on(r.joined_party_on, day)) for r in rows]
    return [Celebrant(r.id, r.name, r.org_id, years) for r, years in found if years]
