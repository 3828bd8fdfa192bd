"""Responsibility zones (党员责任区) on plain data.

- A zone is ``responsibility`` (its guarantees written by the org) or ``five_s`` (the 5S zone: by default
  the five guarantees of 设备制造分公司 — targets met on time; no safety, quality or equipment accident;
  plans completed; no breach of discipline; 5S standards kept).
- A check gives a result for every guarantee of its zone (none unknown, none missing); it passes when all hold.
- "党员身边无事故": days without incident count from the last incident, or from the zone's start.
- Checks and incidents cannot lie in the future; a check is due every ``check_every_days`` (monthly).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

ZONE_KINDS = ("responsibility", "five_s")
INCIDENT_KINDS = ("safety", "quality", "equipment", "discipline")
FIVE_S = {
    "targets_on_time": "指标按时完成",
    "no_accident": "无安全、质量、设备事故",
    "plans_completed": "计划全面完成",
    "no_discipline_breach": "无违纪违规",
    "five_s_standards": "5S标准保持",
}
DEFAULT_CHECK_EVERY_DAYS = 30


def guarantees_for(kind: str, given: list[str] | None) -> list[str]:
    """The zone's guarantees: those given (in order, without repeats), else the five of a 5S zone."""
    if given:
        return list(dict.fromkeys(given))
    return list(FIVE_S) if kind == "five_s" else []


def label(guarantee: str) -> str:
    return FIVE_S.get(guarantee, guarantee)


def result_errors(guarantees: Iterable[str], results: Mapping[str, bool]) -> dict[str, str]:
    """``{guarantee: problem}`` for each unknown or missing guarantee of a check (empty: the check is whole)."""
    wanted = list(guarantees)
    errors = {g: "unknown" for g in results if g not in wanted}
    errors.update({g: "missing" for g in wanted if g not in results})
    return errors


def passed(results: Mapping[str, bool]) -> bool:
    return bool(results) and all(results.values())


def days_without_incident(since: date, incidents: Iterable[date], today: date) -> int:
    """Whole days from the last incident (or the zone's start) to ``today``; 0 on the day of an incident."""
    last = max((d for d in incidents if d <= today), default=None)
    start = max(since, last) if last is not None else since
    return max((today - start).days, 0)


def next_check_due(since: date, last_check: date | None, every_days: int) -> date:
    return (last_check or since) + timedelta(days=every_days)


def check_reminder_due(due: date, day: date) -> bool:
    """Remind the holders on the day a check falls due, then weekly while it stays undone."""
    return day >= due and (day - due).days % 7 == 0


def in_future(day: date, today: date) -> bool:
    return day > today
