"""When reminders are due (plain dates): pledge due 7 days before, on the day, weekly while overdue;
the look-back (回头看) and quarterly review at the start of each quarter."""

from __future__ import annotations

from datetime import date


def due_kind(due_on: date, day: date) -> str | None:
    """Which pledge_due reminder (if any) a pledge due on ``due_on`` gets on ``day``."""
    days = (due_on - day).days
    if days == 7:
        return "due_in_7"
    if days == 0:
        return "due_today"
    if days < 0 and -days % 7 == 0:
        return "overdue"
    return None


def due_wording(kind: str, days: int) -> str:
    """How the reminder says it (``days`` until due; negative once overdue)."""
    return {"due_in_7": "还有 7 天到期", "due_today": "今天到期"}.get(kind, f"已逾期 {-days} 天")


def is_quarter_start(day: date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1
