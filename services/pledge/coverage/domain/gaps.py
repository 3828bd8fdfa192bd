"""The gap kinds of full coverage (没有空白点) and their windows, as plain dates; paging across kinds.

``since`` of a gap is the day its clock started: the year's first day (no pledge, not inspected), the
quarter's first day (no quarterly comment, contact point unvisited), the approval (unpublished), the last
progress report or the publication (no progress).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

K = TypeVar("K")

KINDS = ("no_pledge", "unpublished", "no_progress", "not_inspected", "no_quarterly_comment", "contact_unvisited")
LABELS = {
    "no_pledge": "尚无公开承诺", "unpublished": "审核通过超过 7 天未公开", "no_progress": "超过 30 天无进展",
    "not_inspected": "本年度未接受检查", "no_quarterly_comment": "本季度尚无点评",
    "contact_unvisited": "联系点本季度未走访",
}
UNPUBLISHED_DAYS = 7
NO_PROGRESS_DAYS = 30


@dataclass(frozen=True)
class Window:
    """The dates the gap rules of ``as_of`` look at."""

    as_of: date

    @property
    def year_start(self) -> date:
        return date(self.as_of.year, 1, 1)

    @property
    def quarter(self) -> int:
        return (self.as_of.month - 1) // 3 + 1

    @property
    def quarter_start(self) -> date:
        return date(self.as_of.year, 3 * self.quarter - 2, 1)

    @property
    def approved_before(self) -> date:
        """An approval on a day before this one has waited 7 days or more by ``as_of``."""
        return self.as_of - timedelta(days=UNPUBLISHED_DAYS - 1)

    @property
    def quiet_before(self) -> date:
        """A pledge last reported (or published) before this day has had 30 days without progress."""
        return self.as_of - timedelta(days=NO_PROGRESS_DAYS - 1)


def slices(counts: Mapping[K, int] | Iterable[tuple[K, int]], offset: int, limit: int) -> list[tuple[K, int, int]]:
    """The (key, offset within it, limit) to read for one page of rows listed key after key: kinds in the order
    of ``KINDS`` (a mapping), or any ordered (key, count) pairs."""
    pairs = [(k, counts.get(k, 0)) for k in KINDS] if isinstance(counts, Mapping) else list(counts)
    out = []
    for kind, n in pairs:
        if limit <= 0:
            break
        if offset >= n:
            offset -= n
            continue
        take = min(limit, n - offset)
        out.append((kind, offset, take))
        limit -= take
        offset = 0
    return out


def week_of(day: date) -> str:
    """The ISO week a day belongs to (``2026-W49``): one coverage nudge per person per week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def nudge_lines(org_name: str, kinds: Iterable[str]) -> list[str]:
    """What a secretary is told: one line per gap kind of their branch, with its count."""
    counted: dict[str, int] = {}
    for kind in kinds:
        counted[kind] = counted.get(kind, 0) + 1
    return [f"{org_name}：{LABELS[k]} {counted[k]} 项" for k in KINDS if k in counted]
