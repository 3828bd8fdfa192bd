"""From per-dimension rating statistics to scores, grades, ranks and suppression (DOMAIN.md rules).

The database hands over, per target, one :class:`Stat` per (dimension, part): count, sum, min, max
of the scores (a GROUP BY).  That is all a trimmed mean needs: dropping one highest and one lowest
rating is ``(sum - max - min) / (count - 2)``.

Exact arithmetic (DOMAIN "Exact arithmetic"): ratings are integers, so every mean, weight and score
is a :class:`~fractions.Fraction` of integer sums and counts.  Grades, ranks and bounds are decided
on those exact values (a score of exactly 75 is 合格); a float is made only to store and display
(rounded to one decimal by the readers).  Settings written as decimals (weights 0.2, a bound 74.5)
are read as the decimal written (``Fraction("0.2") == 1/5``), not as the binary float nearest it.

评诺 parts (DOMAIN "Anonymity"): a part (self, peer, masses) is used and published only when its
raters are at least the minimum group; the combined score renormalises the weights over the parts
that are.  A pledger's own self-evaluation of a personal pledge (one rater, the pledger) is never
in ``parts`` nor in the score (with peer and masses published it could be recovered from the score);
it is kept apart as ``own_self``, for the pledger's eyes only.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from services.survey.rounds.domain.rules import dimension_keys, exact, grade


@dataclass(frozen=True)
class Stat:
    dimension: str
    part: str | None
    count: int
    total: int
    low: int
    high: int


@dataclass
class TargetScore:
    n: int
    ratings: int
    rating_sum: int
    dimensions: dict[str, Fraction] = field(default_factory=dict)
    parts: dict[str, Fraction | None] | None = None
    exact: Fraction | None = None  # the score, exactly
    grade: str | None = None
    suppressed: bool = False
    own_self: Fraction | None = None  # the pledger's own self part (personal pledges), never published

    @property
    def score(self) -> float | None:
        return None if self.exact is None else float(self.exact)


def _ratio(count: int, total: int, low: int, high: int, trim_min: int) -> tuple[int, int]:
    """The mean as (numerator, denominator) of integers: with at least ``trim_min`` ratings, without one
    highest and one lowest."""
    if count >= trim_min:
        return int(total) - int(low) - int(high), count - 2
    return int(total), count


def mean(count: int, total: int, low: int, high: int, trim_min: int) -> Fraction:
    """Mean of the ratings, exactly; with at least ``trim_min`` of them, without one highest and one lowest."""
    return Fraction(*_ratio(count, total, low, high, trim_min))


def to_score(value: Fraction, settings: dict[str, Any]) -> Fraction:
    """A mean on the 1..scale_max scale as 0–100 (on 1–5: × 20), exactly."""
    return value * 100 / exact(settings["scale_max"])


def score_target(target_type: str, stats: list[Stat], settings: dict[str, Any],
                 personal: bool = True) -> TargetScore:
    """One target's result; ``personal``: a pledge's pledger is a person (else an org)."""
    if target_type == "pledge":
        result = _score_pledge(stats, settings, personal)
    else:
        result = _score_dimensions(target_type, stats, settings)
    # what the org summaries pool: a published pledge's ratings of its published parts only (a withheld part
    # pooled into the org's total could be recovered from it); a suppressed target's all (complementary
    # suppression then guards the total)
    pooled = [s for s in stats if target_type != "pledge" or result.suppressed or (result.parts or {}).get(s.part)
              is not None]
    result.ratings, result.rating_sum = sum(s.count for s in pooled), sum(int(s.total) for s in pooled)
    if not result.suppressed and result.exact is not None:
        result.grade = grade(result.exact, settings)
    return result


def _score_dimensions(target_type: str, stats: list[Stat], settings: dict[str, Any]) -> TargetScore:
    by_dim = {s.dimension: s for s in stats}
    counts = [by_dim[k].count if k in by_dim else 0 for k in dimension_keys(target_type)]
    n = max(counts, default=0)
    if min(counts) < settings["min_group"]:
        return TargetScore(n=n, ratings=0, rating_sum=0, suppressed=True)
    ratios = [_ratio(s.count, s.total, s.low, s.high, settings["trim_min"]) for s in
              (by_dim[k] for k in dimension_keys(target_type))]
    top, bottom = 0, 1  # the sum of the dimension means, as one fraction of integers (no reduction on the way)
    for numerator, denominator in ratios:
        top, bottom = top * denominator + numerator * bottom, bottom * denominator
    scale_max = exact(settings["scale_max"])
    score = Fraction(top * 100 * scale_max.denominator, bottom * len(ratios) * scale_max.numerator)
    dims = {k: Fraction(*r) for k, r in zip(dimension_keys(target_type), ratios, strict=True)}
    return TargetScore(n=n, ratings=0, rating_sum=0, dimensions=dims, exact=score)


def _score_pledge(stats: list[Stat], settings: dict[str, Any], personal: bool) -> TargetScore:
    """评诺: the parts with at least ``min_group`` raters combined by weight, renormalised over them."""
    by_part = {s.part: s for s in stats}
    n = sum(s.count for s in stats)
    trim, floor = settings["trim_min"], settings["min_group"]
    parts: dict[str, Fraction | None] = {}
    for part in ("self", "peer", "masses"):
        s = by_part.get(part)
        parts[part] = mean(s.count, s.total, s.low, s.high, trim) if s is not None and s.count >= floor else None
    own = by_part.get("self")
    own_self = mean(own.count, own.total, own.low, own.high, trim) if personal and own is not None else None
    weights = {p: exact(w) for p, w in settings["weights"].items()}
    usable = {p: v for p, v in parts.items() if v is not None and weights.get(p, 0) > 0}
    if not usable:
        return TargetScore(n=n, ratings=0, rating_sum=0, parts=None, suppressed=True, own_self=own_self)
    combined = sum((weights[p] * v for p, v in usable.items()), Fraction(0)) / sum(weights[p] for p in usable)
    return TargetScore(n=n, ratings=0, rating_sum=0, dimensions={"fulfilment": combined}, parts=parts,
                       exact=to_score(combined, settings), own_self=own_self)


def ranks(scores: Mapping[Hashable, Fraction]) -> dict[Hashable, int]:
    """Competition ranks, highest first, ties sharing a rank (1, 1, 3), on exact values."""
    ordered = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    out: dict[Hashable, int] = {}
    previous: Fraction | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        out[key] = rank
    return out


def stored_ranks(stored: Mapping[Hashable, tuple[float, str]]) -> dict[Hashable, int]:
    """:func:`ranks` of scores as stored — (the float, the exact text) — without parsing every one: the
    float of a fraction is correctly rounded, so ordering by it is the exact order except among equal
    floats, and equal exact values have the same (reduced) text; only a run of equal floats with
    different texts is ordered exactly."""
    ordered = sorted(stored.items(), key=lambda kv: kv[1][0], reverse=True)
    out: dict[Hashable, int] = {}
    i = 0
    while i < len(ordered):
        j = i + 1
        while j < len(ordered) and ordered[j][1][0] == ordered[i][1][0]:
            j += 1
        run = ordered[i:j]
        if len({text for _, (_, text) in run}) > 1:
            out.update({key: i + r for key, r in ranks({key: Fraction(text) for key, (_, text) in run}).items()})
        else:
            out.update({key: i + 1 for key, _ in run})
        i = j
    return out


def pooled_score(rating_sum: int, ratings: int, settings: dict[str, Any]) -> Fraction | None:
    """An org summary's pooled score: every rating of its targets averaged, exactly, as 0–100."""
    return to_score(Fraction(int(rating_sum), ratings), settings) if ratings else None


def to_text(value: Fraction | None) -> str | None:
    """An exact value as stored (``"227/3"``)."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def from_text(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def as_float(values: Mapping[str, Fraction | None] | None) -> dict[str, float | None] | None:
    """Exact values as floats, to store in JSON and display."""
    return None if values is None else {k: None if v is None else float(v) for k, v in values.items()}


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
