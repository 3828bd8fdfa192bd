"""Scoring in the database: a chunk of a three-way or leadership round as one ``INSERT … SELECT`` (PostgreSQL).

The same rules as :mod:`~services.survey.aggregation.domain.scoring` (the reference, which tests run
against this statement on the same answers), written as set-based SQL so that no answer statistic
leaves the database: per (target, dimension) count, sum, min, max; the trimmed mean of a dimension as
the integers ``num/den``; the score as one fraction of integers in ``NUMERIC`` (no rounding anywhere),
reduced by ``gcd`` and stored as ``"numerator/denominator"`` — the text ``Fraction`` prints; the grade
decided by cross-multiplying that fraction with each band's exact bound; the display float and the
dimension floats made last.  SQLite keeps the Python path: its integers are 64-bit (a product of four
rater counts times 100 can overflow into a float) and it has no ``gcd``.

评诺 (pledge evaluation) rounds keep the Python path everywhere: their parts, renormalised weights and
the pledger's own self part are rules of their own, and their rounds are the size of a pledge list.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.survey.rounds.domain.rules import DIMENSIONS, exact
from services.survey.rounds.models import Round
from shared.db import dialect_of

MAX_DIMENSIONS = max(len(dims) for dims in DIMENSIONS.values())


def applies(session: Session, round_: Round) -> bool:
    return dialect_of(session) == "postgresql" and round_.kind != "pledge_evaluation"


def _dimension_rows() -> str:
    """``(target type, dimension, position)`` of every dimension-scored target type, as SQL ``VALUES``."""
    rows = [f"('{target_type}', '{key}', {position})"
            for target_type, dims in DIMENSIONS.items() if target_type != "pledge"
            for position, (key, _) in enumerate(dims, start=1)]
    return ", ".join(rows)


def _fraction_sum() -> tuple[str, str]:
    """Σ numᵢ/denᵢ over the dimension positions as (numerator, denominator) expressions, without reducing;
    a position the target type does not have counts as 0/1."""
    nums = [f"coalesce(num{i}, 0)::numeric" for i in range(1, MAX_DIMENSIONS + 1)]
    dens = [f"coalesce(den{i}, 1)::numeric" for i in range(1, MAX_DIMENSIONS + 1)]
    terms = [" * ".join([nums[i], *(dens[j] for j in range(MAX_DIMENSIONS) if j != i)]) for i in range(MAX_DIMENSIONS)]
    return " + ".join(f"({t})" for t in terms), " * ".join(dens)


def _integer(value: int) -> str:
    return str(int(value))


def _grade_case(settings: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The first band whose exact lower bound the score reaches (``rules.grade``), on ``top/bottom``."""
    whens, params = [], {}
    for i, band in enumerate(settings["grades"]):
        bound = exact(band["min"])
        whens.append(f"WHEN top * {_integer(bound.denominator)} >= {_integer(bound.numerator)} * bottom "
                     f"THEN :grade_{i}")
        params[f"grade_{i}"] = band["grade"]
    params["fail_grade"] = settings["fail_grade"]
    return f"CASE {' '.join(whens)} ELSE :fail_grade END", params


def _statement(settings: dict[str, Any], ranged: bool) -> tuple[str, dict[str, Any]]:
    scale_max: Fraction = exact(settings["scale_max"])
    sum_top, sum_bottom = _fraction_sum()
    grade_case, params = _grade_case(settings)
    pivot = ", ".join(f"max(num) FILTER (WHERE position = {i}) AS num{i}, "
                      f"max(den) FILTER (WHERE position = {i}) AS den{i}" for i in range(1, MAX_DIMENSIONS + 1))
    answer_range = "AND target_ref BETWEEN :low AND :high" if ranged else ""
    sql = f"""
WITH dims(target_type, dimension, position) AS (VALUES {_dimension_rows()}),
stats AS (
    SELECT target_ref, dimension, count(*) AS c, sum(score) AS t, min(score) AS lo, max(score) AS hi
    FROM survey_answers WHERE round_id = :round_id {answer_range}
    GROUP BY target_ref, dimension),
totals AS (SELECT target_ref, sum(c) AS ratings, sum(t) AS rating_sum FROM stats GROUP BY target_ref),
per_dimension AS (
    SELECT rt.id AS ref, d.dimension, d.position, coalesce(s.c, 0) AS c,
           CASE WHEN s.c >= :trim_min THEN s.t - s.lo - s.hi ELSE coalesce(s.t, 0) END AS num,
           CASE WHEN s.c >= :trim_min THEN s.c - 2 ELSE coalesce(s.c, 0) END AS den
    FROM survey_round_targets rt
    JOIN dims d ON d.target_type = rt.target_type
    LEFT JOIN stats s ON s.target_ref = rt.id AND s.dimension = d.dimension
    WHERE rt.round_id = :round_id AND rt.id BETWEEN :low AND :high),
per_target AS (
    SELECT ref, count(*) AS k, max(c) AS n, min(c) >= :min_group AS scored,
           json_object_agg(dimension, CASE WHEN den > 0 THEN num::float8 / den::float8 END ORDER BY position)
               AS dimension_means,
           {pivot}
    FROM per_dimension GROUP BY ref),
fractions AS (
    SELECT p.*, 100 * {_integer(scale_max.denominator)} * ({sum_top}) AS raw_top,
           k * {_integer(scale_max.numerator)} * ({sum_bottom}) AS raw_bottom
    FROM per_target p WHERE scored),
scores AS (
    SELECT ref, div(raw_top, gcd(raw_top, raw_bottom)) AS top, div(raw_bottom, gcd(raw_top, raw_bottom)) AS bottom
    FROM fractions)
INSERT INTO survey_results (round_id, target_ref, n, ratings, rating_sum, dimensions, parts, score, score_exact,
                            own_self, grade, rank_in_org, rank_in_round, suppressed, suppression)
SELECT :round_id, p.ref, p.n, coalesce(t.ratings, 0), coalesce(t.rating_sum, 0)::float8,
       CASE WHEN p.scored THEN p.dimension_means ELSE '{{}}'::json END, NULL,
       -- the display float: the fraction to 30 decimals (more than a float holds), then the nearest float
       ((s.top * 1.{'0' * 30}) / s.bottom)::float8,
       s.top::text || '/' || s.bottom::text, NULL,
       CASE WHEN p.scored THEN {grade_case} END, NULL, NULL,
       NOT p.scored, CASE WHEN p.scored THEN NULL ELSE 'min_group' END
FROM per_target p
LEFT JOIN scores s ON s.ref = p.ref
LEFT JOIN totals t ON t.target_ref = p.ref
ON CONFLICT (round_id, target_ref) DO UPDATE SET
    n = EXCLUDED.n, ratings = EXCLUDED.ratings, rating_sum = EXCLUDED.rating_sum, dimensions = EXCLUDED.dimensions,
    parts = EXCLUDED.parts, score = EXCLUDED.score, score_exact = EXCLUDED.score_exact,
    own_self = EXCLUDED.own_self, grade = EXCLUDED.grade, rank_in_org = EXCLUDED.rank_in_org,
    rank_in_round = EXCLUDED.rank_in_round, suppressed = EXCLUDED.suppressed, suppression = EXCLUDED.suppression
"""
    params.update(trim_min=settings["trim_min"], min_group=settings["min_group"])
    return sql, params


def compute_chunk(session: Session, round_: Round, low: int, high: int, whole_round: bool) -> int:
    """Score and upsert every target of ``round_`` with an id in [low, high]; returns how many.

    ``whole_round``: the range holds every target, so the answers need no range filter (one scan of the
    round's answers instead of an index range per target)."""
    sql, params = _statement(round_.settings, ranged=not whole_round)
    result = session.execute(text(sql), {**params, "round_id": round_.id, "low": low, "high": high})
    return result.rowcount
