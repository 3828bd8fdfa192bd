"""Quiet hours (免打扰): email and webhook deliveries that fall inside a person's quiet hours wait for
their end; the inbox is immediate; urgent categories (mandatory ones marked urgent) never wait.

Times are wall-clock times in the campaign's zone; a span may cross midnight (22:00–07:00).  A span
whose start equals its end holds nothing (quiet hours switched off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DEFAULT_QUIET_HOURS = "22:00-07:00"
WAITING_CHANNELS = frozenset({"email", "webhook"})


def parse_time(text: str) -> time:
    """``"22:00"`` → 22:00; ValueError unless HH:MM."""
    match = _HHMM.match(text or "")
    if match is None:
        raise ValueError(f"not HH:MM: {text!r}")
    return time(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        return cls(parse_time(start), parse_time(end))

    @classmethod
    def parse_span(cls, span: str) -> QuietHours | None:
        """``"22:00-07:00"``; ``""`` or ``"off"``: none."""
        if span.strip().lower() in ("", "off"):
            return None
        start, _, end = span.partition("-")
        return cls.parse(start.strip(), end.strip())

    @property
    def off(self) -> bool:
        return self.start == self.end

    def holds(self, at: time) -> bool:
        """``at`` (a wall-clock time) is inside the span."""
        if self.off:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def as_dict(self) -> dict[str, str] | None:
        return None if self.off else {"start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M")}


OFF = QuietHours(time(0), time(0))


def quiet_until(hours: QuietHours | None, now: datetime, zone: tzinfo) -> datetime | None:
    """When the quiet hours holding ``now`` end (UTC), or None when ``now`` is not inside them."""
    if hours is None:
        return None
    local = now.astimezone(zone)
    if not hours.holds(local.time().replace(tzinfo=None)):
        return None
    day = local.date() if local.time().replace(tzinfo=None) < hours.end else local.date() + timedelta(days=1)
    return datetime.combine(day, hours.end, tzinfo=zone).astimezone(UTC)


def wait_until(channel: str, category: str, hours: QuietHours | None, urgent: frozenset[str] | set[str],
               now: datetime, zone: tzinfo) -> datetime | None:
    """Until when a new delivery over ``channel`` waits (None: it goes now)."""
    if channel not in WAITING_CHANNELS or category in urgent:
        return None
    return quiet_until(hours, now, zone)
