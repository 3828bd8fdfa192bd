"""Digests (通知摘要) as plain rules: which digest is due on a day, its idempotency key, and its text.

A daily digest goes out every morning, a weekly one on Mondays; each lists what was held before that
day began (in the campaign's zone), so a replay of the same day lists the same items, and what arrives
later waits for the next period.  Somebody who switched their digest off gets what is still held in the
next morning's run (nothing is lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_LISTED = 200  # a digest's body lists at most this many items (the rest are counted)


def due(kind: str, day: date) -> str | None:
    """The digest period a person with ``kind`` (off | daily | weekly) gets on ``day``, or None."""
    if kind == "weekly":
        return "weekly" if day.weekday() == 0 else None
    return "daily"  # daily, and "off" with items still held: flushed the next morning


def key(period: str, day: date, person_id: int) -> str:
    """One digest per person per period, whatever the replays (the notification key is unique)."""
    return f"digest:{period}:{day.isoformat()}:{person_id}"


@dataclass(frozen=True)
class Held:
    subject: str
    link: str | None


def render(period: str, items: Sequence[Held]) -> tuple[str, str]:
    """``(subject, body)``: the count in the subject, each item with its link in the body."""
    label = "本周" if period == "weekly" else "今日"
    subject = f"{label}通知摘要（{len(items)} 条）"
    lines = []
    for n, item in enumerate(items[:MAX_LISTED], start=1):
        lines.append(f"{n}. {item.subject}" + (f"\n   {item.link}" if item.link else ""))
    if len(items) > MAX_LISTED:
        lines.append(f"……另有 {len(items) - MAX_LISTED} 条，请在站内信中查看。")
    return subject, "\n".join(lines)
