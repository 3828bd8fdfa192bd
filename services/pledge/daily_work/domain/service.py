"""Posts and badges, volunteer service and mentoring pairs on plain data.

- A post or badge (党员先锋岗, 安全监护志愿者 挂牌上岗, another badge) is held by one person from ``since``;
  it is active on a day from ``since`` up to and including ``until`` (open-ended without one).
- Volunteer service counts person-hours: an activity of ``h`` hours with ``n`` participants gives ``h × n``;
  a person's total is the hours of the activities they joined; ``people`` counts distinct participants.
- 一助一: the mentor is a party member, the mentee another person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

POST_KINDS = ("vanguard_post", "safety_volunteer", "badge")
VOLUNTEER_KINDS = ("community", "safety", "other")
MAX_HOURS = 24


def active_on(since: date, until: date | None, day: date) -> bool:
    return since <= day and (until is None or day <= until)


def ends_before_start(since: date, until: date | None) -> bool:
    return until is not None and until < since


def ending_within(until: date | None, day: date, days: int) -> bool:
    """A post whose end falls within ``days`` after ``day`` (for the reminder before it ends)."""
    return until is not None and 0 <= (until - day).days <= days


def person_hours(activities: Iterable[tuple[float, Iterable[int]]], person_id: int | None = None
                 ) -> tuple[float, int]:
    """``(person-hours, distinct people)`` over ``(hours, participants)`` pairs, or one person's share.

    Summed as decimals and rounded to hundredths, so 0.1 h × 3 is 0.3, not 0.30000000000000004."""
    total, people = Decimal(0), set()
    for hours, participants in activities:
        counted = [p for p in participants if person_id is None or p == person_id]
        total += Decimal(str(hours)) * len(counted)
        people.update(counted)
    return float(round(total, 2)), len(people)
