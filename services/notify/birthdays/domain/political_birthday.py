"""Political birthdays (政治生日): whose anniversary falls on a day, and what they are told."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def anniversary_in(joined: date, year: int) -> date:
    """The anniversary of ``joined`` in ``year``; 29 February becomes 28 February in common years."""
    if joined.month == 2 and joined.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return joined.replace(year=year)


def years_on(joined: date, day: date) -> int | None:
    """Whole years in the party if ``day`` is the anniversary of ``joined``, else None."""
    years = day.year - joined.year
    if years < 1 or anniversary_in(joined, day.year) != day:
        return None
    return years


def joined_days_for(day: date) -> list[tuple[int, int]]:
    """The (month, day) pairs of joining dates whose anniversary is ``day``."""
    pairs = [(day.month, day.day)]
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        pairs.append((2, 29))
    return pairs


@dataclass(frozen=True)
class Celebrant:
    person_id: int
    name: str
    org_id: int
    years: int


def greeting(c: Celebrant) -> tuple[str, str]:
    subject = f"政治生日快乐：入党 {c.years} 周年"
    body = (f"{c.name}同志：今天是您的政治生日，您已入党 {c.years} 周年。"
            "不忘初心、牢记使命，在创先争优中继续走在前、作表率！")
    return subject, body


def secretary_digest(celebrants: list[Celebrant]) -> tuple[str, str]:
    subject = f"今日政治生日：{len(celebrants)} 名党员"
    lines = [f"{c.name}（入党 {c.years} 周年）" for c in sorted(celebrants, key=lambda c: (-c.years, c.person_id))]
    body = "今天过政治生日的党员：\n" + "\n".join(lines) + "\n请为他们送上祝福。"
    return subject, body
