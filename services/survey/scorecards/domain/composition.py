"""The 四好 scorecard of one committee or branch for one year, in exact arithmetic (fractions).

Eight parts, each on 0–100 or ``None`` when it has no data:
- ``pledges``: the mean completion of the year's published pledges (the org's own and its members');
  once some are closed, half of it is the mean outcome (fulfilled 100, partly 50, unfulfilled 0);
- ``pledge_evaluation``: the mean 评诺 score of those pledges in the year's evaluation rounds;
- ``three_way``: the org's own 三测评 score (a branch's 三贴近, a committee's 三凝聚), mean over the year's rounds;
- ``leadership``: its leadership team's 好搭档/好助手 score, mean over the year's rounds;
- ``inspections``: the mean inspection rating (1–5) × 20;
- ``quarterly_comments``: the share of the quarters begun that had a 每季点评, × 100;
- ``demo_sites``: the mean overall of its demo sites' monthly management evaluations;
- ``contacts``: the share of its leaders' contact points visited in the year, × 100.
A published score from a round is never a suppressed one (suppressed results are not data here).

The score is the weighted mean of the parts present (weights of the year's settings); a missing part
renormalises the rest; no part at all: no score.  Grades are inclusive lower bounds decided on the
exact value, so exactly 75 is 合格.  Ranks: highest first, ties share (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

PARTS = ("pledges", "pledge_evaluation", "three_way", "leadership", "inspections", "quarterly_comments",
         "demo_sites", "contacts")
PART_LABELS = {"pledges": "承诺践诺", "pledge_evaluation": "评诺", "three_way": "三测评", "leadership": "好搭档好助手",
               "inspections": "督诺检查", "quarterly_comments": "每季点评", "demo_sites": "示范点",
               "contacts": "联系点"}

DEFAULT_WEIGHTS: dict[str, str] = {"pledges": "0.2", "pledge_evaluation": "0.15", "three_way": "0.2",
                                   "leadership": "0.15", "inspections": "0.1", "quarterly_comments": "0.1",
                                   "demo_sites": "0.05", "contacts": "0.05"}
DEFAULT_GRADE_BOUNDS: dict[str, str] = {"优秀": "90", "合格": "75", "基本合格": "60"}
DEFAULT_FAIL_GRADE = "不合格"
HUNDRED = Fraction(100)


def exact(value: Any) -> Fraction:
    """A number as the exact fraction it reads as: 0.1 is 1/10 (not the binary float nearest it)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(str(value))


@dataclass(frozen=True)
class Facts:
    """What pledge reported of the org's year (``shared.messages.OrgYearFacts``), as plain numbers."""

    pledges: int = 0
    completion_sum: Any = 0
    closed: int = 0
    fulfilled: int = 0
    partly: int = 0
    unfulfilled: int = 0
    inspections: int = 0
    rating_sum: int = 0
    comment_quarters: int = 0
    quarters_due: int = 0
    site_evaluations: int = 0
    site_overall_sum: Any = 0
    contact_points: int = 0
    contact_points_visited: int = 0
    contact_visits: int = 0


@dataclass(frozen=True)
class RoundScores:
    """Published (unsuppressed) scores of the org's targets in the year's rounds, each 0–100."""

    pledge_evaluation: tuple = ()
    three_way: tuple = ()
    leadership: tuple = ()


@dataclass(frozen=True)
class YearSettings:
    weights: Mapping[str, Fraction] = field(default_factory=lambda: {p: exact(w) for p, w in DEFAULT_WEIGHTS.items()})
    grade_bounds: Mapping[str, Fraction] = field(
        default_factory=lambda: {g: exact(b) for g, b in DEFAULT_GRADE_BOUNDS.items()})
    fail_grade: str = DEFAULT_FAIL_GRADE

    @property
    def bands(self) -> list[tuple[Fraction, str]]:
        """The grade bounds, highest first."""
        return sorted(((b, g) for g, b in self.grade_bounds.items()), reverse=True)


def _mean(values) -> Fraction | None:
    values = [exact(v) for v in values]
    return sum(values, Fraction(0)) / len(values) if values else None


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) * HUNDRED if whole else None


def pledge_part(f: Facts) -> Fraction | None:
    if not f.pledges:
        return None
    total = exact(f.completion_sum)
    decided = f.fulfilled + f.partly + f.unfulfilled
    if not decided:
        return Fraction(total.numerator, total.denominator * f.pledges)
    # (completion + outcome) / 2 with completion = n / (d·P) and outcome = (100·f + 50·p) / D, as one fraction
    n, d = total.numerator, total.denominator * f.pledges
    return Fraction(n * decided + (f.fulfilled * 100 + f.partly * 50) * d, 2 * d * decided)


def parts_of(facts: Facts, rounds: RoundScores) -> dict[str, Fraction | None]:
    return {
        "pledges": pledge_part(facts),
        "pledge_evaluation": _mean(rounds.pledge_evaluation),
        "three_way": _mean(rounds.three_way),
        "leadership": _mean(rounds.leadership),
        "inspections": Fraction(facts.rating_sum * 20, facts.inspections) if facts.inspections else None,
        "quarterly_comments": _share(min(facts.comment_quarters, facts.quarters_due), facts.quarters_due),
        "demo_sites": exact(facts.site_overall_sum) / facts.site_evaluations if facts.site_evaluations else None,
        "contacts": _share(min(facts.contact_points_visited, facts.contact_points), facts.contact_points),
    }


def combine(parts: Mapping[str, Fraction | None], weights: Mapping[str, Fraction]) -> Fraction | None:
    """The weighted mean over the parts present with a positive weight; ``None`` when there is none.

    Σ w·v / Σ w, summed as integer numerators and denominators and reduced once (the same value as with
    ``Fraction`` at every step, several times faster)."""
    n, d, wn, wd = 0, 1, 0, 1
    for p, v in parts.items():
        w = weights.get(p)
        if v is None or not w or w <= 0:
            continue
        a, b = w.numerator * v.numerator, w.denominator * v.denominator
        n, d = n * b + a * d, d * b
        wn, wd = wn * w.denominator + w.numerator * wd, wd * w.denominator
    if not wn:
        return None
    return Fraction(n * wd, d * wn)


def grade(score: Fraction | None, settings: YearSettings, bands: list | None = None) -> str | None:
    if score is None:
        return None
    for bound, name in bands if bands is not None else settings.bands:
        if score >= bound:
            return name
    return settings.fail_grade


@dataclass(frozen=True)
class Scorecard:
    parts: dict[str, Fraction | None]
    score: Fraction | None
    grade: str | None


def scorecard(facts: Facts, rounds: RoundScores, settings: YearSettings, bands: list | None = None) -> Scorecard:
    parts = parts_of(facts, rounds)
    score = combine(parts, settings.weights)
    return Scorecard(parts, score, grade(score, settings, bands))


def ranks(scores: Mapping[Any, Fraction | None]) -> dict[Any, int | None]:
    """Competition ranks, highest first, ties sharing (1, 1, 3); no score, no rank.  Sorted by the float
    first and the exact value only where floats are equal; equal means exactly equal."""
    ordered = sorted((s for s in scores.values() if s is not None), key=lambda s: (float(s), s), reverse=True)
    first = {}
    for i, s in enumerate(ordered, start=1):
        first.setdefault(s, i)
    return {k: None if s is None else first[s] for k, s in scores.items()}


def display(value: Fraction | None, places: int = 1) -> float | None:
    """For display only: rounded half up at ``places`` decimals."""
    if value is None:
        return None
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return float(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def to_text(value: Fraction | None) -> str | None:
    """An exact value as stored ("p/q")."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def from_text(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)
