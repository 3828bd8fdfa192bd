"""From per-dimension rating statistics to scores, grades, ranks and suppression (DOMAIN.md rules).

The database hands over, per target, one :class:`Stat` per (dimension, part): count, sum, min, max
of the scores (a GROUP BY).  That is all a trimmed mean needs: dropping one highest and one lowest
rating is ``(sum - max - min) / (count - 2)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.survey.rounds.domain.rules import dimension_keys, grade


@dataclass(frozen=True)
class Stat:
    dimension: str
    part: str | None
    count: int
    total: float
    low: float
    high: float


@dataclass
class TargetScore:
    n: int
    ratings: int
    rating_sum: float
    dimensions: dict[str, float] = field(default_factory=dict)
    parts: dict[str, float | None] | None = None
    score: float | None = None
    grade: str | None = None
    suppressed: bool = False


def mean(count: int, total: float, low: float, high: float, trim_min: int) -> float:
    """Mean of the ratings; with at least ``trim_min`` of them, without one highest and one lowest."""
    if count >= trim_min:
        return (total - low - high) / (count - 2)
    return total / count


def to_score(value: float, settings: dict[str, Any]) -> float:
    """A mean on the 1..scale_max scale as 0–100 (on 1–5: × 20)."""
    return value * 100.0 / settings["scale_max"]


def score_target(target_type: str, stats: list[Stat], settings: dict[str, Any]) -> TargetScore:
    ratings = sum(s.count for s in stats)
    rating_sum = float(sum(s.total for s in stats))
    if target_type == "pledge":
        result = _score_pledge(stats, settings)
    else:
        result = _score_dimensions(target_type, stats, settings)
    result.ratings, result.rating_sum = ratings, rating_sum
    if not result.suppressed:
        result.grade = grade(result.score, settings)
    return result


def _score_dimensions(target_type: str, stats: list[Stat], settings: dict[str, Any]) -> TargetScore:
    by_dim = {s.dimension: s for s in stats}
    counts = [by_dim[k].count if k in by_dim else 0 for k in dimension_keys(target_type)]
    n = max(counts, default=0)
    if min(counts) < settings["min_group"]:
        return TargetScore(n=n, ratings=0, rating_sum=0.0, suppressed=True)
    dims = {k: mean(s.count, s.total, s.low, s.high, settings["trim_min"]) for k, s in by_dim.items()}
    dims = {k: dims[k] for k in dimension_keys(target_type)}
    overall = sum(dims.values()) / len(dims)
    return TargetScore(n=n, ratings=0, rating_sum=0.0, dimensions=dims, score=to_score(overall, settings))


def _score_pledge(stats: list[Stat], settings: dict[str, Any]) -> TargetScore:
    """评诺: self, peer and masses combined by weight; a part missing (or too small) renormalises the rest."""
    by_part = {s.part: s for s in stats}
    n = sum(s.count for s in stats)
    parts: dict[str, float | None] = {}
    for part in ("self", "peer", "masses"):
        s = by_part.get(part)
        enough = s is not None and (s.count >= 1 if part == "self" else s.count >= settings["min_group"])
        parts[part] = mean(s.count, s.total, s.low, s.high, settings["trim_min"]) if enough else None
    weights = settings["weights"]
    usable = {p: v for p, v in parts.items() if v is not None and weights.get(p, 0) > 0}
    if not any(p != "self" for p in usable):
        return TargetScore(n=n, ratings=0, rating_sum=0.0, parts=None, suppressed=True)
    combined = sum(weights[p] * v for p, v in usable.items()) / sum(weights[p] for p in usable)
    return TargetScore(n=n, ratings=0, rating_sum=0.0, dimensions={"fulfilment": combined}, parts=parts,
                       score=to_score(combined, settings))


@dataclass(frozen=True)
class Cell:
    """One target inside a published total: its rater count and whether its own value is hidden."""

    key: int  # ordered: among equally small cells the lowest key is hidden first
    n: int
    suppressed: bool


def complementary_suppression(cells: list[Cell], min_group: int) -> tuple[set[int], bool]:
    """Which further cells to hide so the group total cannot be used to recover a hidden one.

    The total (the org summary) is the only published figure that pools a group's cells.  It is safe
    beside hidden cells when the hidden cells that hold ratings (n > 0) are at least two and hold at
    least ``min_group`` ratings together.  When hiding one more published cell makes it safe and the
    group still publishes another, the smallest such cell is hidden (``complementary``) and the total
    published; otherwise no further target is hidden and the total itself is withheld (second value
    ``True``): a target is never withheld to protect a figure that is not published.
    """
    hidden = [c for c in cells if c.suppressed and c.n > 0]

    def safe(holding: list[Cell]) -> bool:
        return len(holding) >= 2 and sum(c.n for c in holding) >= min_group

    if not hidden or safe(hidden):
        return set(), False
    candidates = sorted((c for c in cells if not c.suppressed and c.n > 0), key=lambda c: (c.n, c.key))
    enough = [c for c in candidates if safe([*hidden, c])]
    if enough and len(candidates) > 1:  # one cell more, and the group still publishes a target
        return {enough[0].key}, False
    return set(), True
