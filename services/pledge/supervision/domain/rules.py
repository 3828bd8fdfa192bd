"""Rules of supervision (督诺) as plain functions on plain data: no Flask, no SQLAlchemy.

- Inspections are routine or unannounced (调研未事先通知) and rated 1–5 like every other score.
- Quarterly comments (每季点评): one per org per quarter.
- Demonstration sites (示范点) advance on three lines at once (党建, 管理, 经济效益); the monthly
  management evaluation (月度专业管理评价) scores each line 0–100; prescribed and optional actions
  (规定动作/自选动作) are counted into the assessment by their completion.
- Contact points (联系点) are counted per leader, per linked org and per unit (the unit committee
  that the linked org belongs to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from shared.errors import ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.principal import Principal

INSPECTION_KINDS = ("routine", "unannounced")
RATING_MIN, RATING_MAX = 1, 5
SITE_KINDS = ("branch", "post")
SITE_LEVELS = ("key", "general")
LINES = ("party_building", "management", "economic")
ACTION_KINDS = ("prescribed", "optional")
LINE_SCORE_MAX = 100
LAGGING_GAP = 15.0  # a line this many points below the best line of the same site is "lagging"
COUNT_GROUPS = ("leader", "org", "unit")


def actor(principal: Principal) -> str:
    """What ``created_by`` records: the token's subject, or its role for subject-less system tokens."""
    return principal.sub or ",".join(sorted(principal.roles))


def not_after_today(day: date, today: date, field: str) -> None:
    """A visit, an inspection or a completed action cannot lie in the future (422 on ``field``)."""
    if day > today:
        raise ValidationFailed(errors=field_errors(**{field: bilingual("日期不能晚于今天", "cannot be in the future")}))


def quarter_of(day: date) -> tuple[int, int]:
    """``(year, quarter)`` of a date: Jan–Mar is quarter 1."""
    return day.year, (day.month - 1) // 3 + 1


def is_future_quarter(year: int, quarter: int, today: date) -> bool:
    """A quarter that has not begun yet cannot be commented on."""
    return (year, quarter) > quarter_of(today)


def is_future_month(year: int, month: int, today: date) -> bool:
    return (year, month) > (today.year, today.month)


def unit_of(path_ids: list[int]) -> int | None:
    """The unit (二级单位) of an org from its lineage root-first: the org just below the group root.

    The root itself has no unit; a unit committee is its own unit; a branch belongs to its ancestor
    at depth 1.
    """
    return path_ids[1] if len(path_ids) > 1 else None


@dataclass(frozen=True)
class LineProgress:
    line: str
    months: int
    latest: float | None
    mean: float | None
    trend: float | None  # latest minus the month before; None with fewer than two months


def line_progress(evaluations: Iterable[Mapping]) -> dict[str, LineProgress]:
    """Per line: how many months were evaluated, latest score, mean, and change since the month before.

    ``evaluations`` are mappings with ``year``, ``month`` and one score per line (any order).
    """
    ordered = sorted(evaluations, key=lambda e: (e["year"], e["month"]))
    out: dict[str, LineProgress] = {}
    for line in LINES:
        scores = [float(e[line]) for e in ordered if e.get(line) is not None]
        if not scores:
            out[line] = LineProgress(line, 0, None, None, None)
            continue
        trend = round(scores[-1] - scores[-2], 1) if len(scores) > 1 else None
        out[line] = LineProgress(line, len(scores), scores[-1], round(sum(scores) / len(scores), 1), trend)
    return out


def lagging_lines(progress: Mapping[str, LineProgress], gap: float = LAGGING_GAP) -> list[str]:
    """Lines whose latest score is ``gap`` or more below the site's best line (三个方面同步推进)."""
    latest = {line: p.latest for line, p in progress.items() if p.latest is not None}
    if len(latest) < 2:
        return []
    best = max(latest.values())
    return [line for line in LINES if line in latest and best - latest[line] >= gap]


def overall_score(scores: Mapping[str, float | None]) -> float | None:
    """The month's overall score: the mean of the lines that were scored."""
    present = [float(scores[line]) for line in LINES if scores.get(line) is not None]
    return round(sum(present) / len(present), 1) if present else None


@dataclass(frozen=True)
class ActionCompletion:
    kind: str
    total: int
    done: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return round(self.done / self.total, 3) if self.total else None


def action_completion(actions: Iterable[Mapping], today: date) -> dict[str, ActionCompletion]:
    """Per kind (prescribed/optional): total, done and overdue (due before ``today``, not done)."""
    totals = {kind: [0, 0, 0] for kind in ACTION_KINDS}
    for action in actions:
        counts = totals[action["kind"]]
        counts[0] += 1
        if action.get("done_on") is not None:
            counts[1] += 1
        elif action.get("due_on") is not None and action["due_on"] < today:
            counts[2] += 1
    return {kind: ActionCompletion(kind, *counts) for kind, counts in totals.items()}
