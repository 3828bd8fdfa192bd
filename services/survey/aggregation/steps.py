"""The overnight work: from anonymous answers to results, as steps a Celery chord can run.

``start`` → ``compute_chunk`` for each range of targets (in parallel) → ``finish`` (ranks, grades,
complementary suppression, org summaries, results_ready, messages).  The database does the counting
(one GROUP BY per chunk); Python only sees a few statistics per target.  Every step can run again:
a chunk upserts every target of its range, ``finish`` on a ready round does nothing.  A chunk that
fails for good (after its retries) makes the round ``failed``, until an admin re-runs it.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.survey.aggregation import ranking, scoring_sql
from services.survey.aggregation.domain.scoring import Stat, as_float, score_target, to_text
from services.survey.ballots.models import Answer
from services.survey.ballots.release import release
from services.survey.directory.models import PledgeCopy
from services.survey.results.models import Result
from services.survey.results.publishing import publish_results
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.models import Round, RoundTarget
from services.survey.rounds.reading import get_round
from shared.context import Context
from shared.db import upsert


def start(ctx: Context, round_id: int, rerun: bool = False) -> list[tuple[int, int]] | None:
    """Move the round to ``aggregating`` and cut its targets into id ranges.

    ``None``: its results are ready and nobody asked for a re-run (a duplicate delivery): nothing to do."""
    if get_round(ctx.session, round_id).state == "results_ready" and not rerun:
        return None
    round_ = get_round(ctx.session, round_id, lock=True)
    round_.state = transition(round_.state, "aggregate")
    release(ctx.session, round_, closing=True)  # what is still pooled, before anything is counted
    round_.aggregation_started_at, round_.aggregation_error = ctx.now(), None
    return chunks(ctx.session, round_)


def fail(session: Session, round_id: int, error: str) -> bool:
    """A chunk failed for good (after its retries): the round shows ``failed`` and why.

    Nothing is lost: answers are untouched, and ``POST /rounds/{id}/aggregate`` recomputes from them."""
    round_ = get_round(session, round_id, lock=True)
    if round_.state != "aggregating":
        return False
    round_.state = transition(round_.state, "fail")
    round_.aggregation_error = error[:1000]
    return True


def chunks(session: Session, round_: Round) -> list[tuple[int, int]]:
    ids = session.scalars(select(RoundTarget.id).where(RoundTarget.round_id == round_.id)
                          .order_by(RoundTarget.id)).all()
    size = round_.settings["aggregation_chunk"]
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def _whole_round(session: Session, round_id: int, low: int, high: int) -> bool:
    """Whether [low, high] holds every target of the round (then the answers need no range filter)."""
    bounds = session.execute(select(func.min(RoundTarget.id), func.max(RoundTarget.id))
                             .where(RoundTarget.round_id == round_id)).one()
    return tuple(bounds) == (low, high)


def chunk_stats(session: Session, round_id: int, low: int, high: int) -> dict[int, list[Stat]]:
    """count, sum, min, max per (target, dimension, part): one GROUP BY in the database."""
    a = Answer
    stmt = (select(a.target_ref, a.dimension, a.part, func.count(), func.sum(a.score), func.min(a.score),
                   func.max(a.score)).where(a.round_id == round_id).group_by(a.target_ref, a.dimension, a.part))
    if not _whole_round(session, round_id, low, high):
        stmt = stmt.where(a.target_ref.between(low, high))
    rows = session.execute(stmt).all()
    stats: dict[int, list[Stat]] = defaultdict(list)
    for ref, dimension, part, count, total, lo, hi in rows:
        stats[ref].append(Stat(dimension, part, int(count), int(total), int(lo), int(hi)))
    return stats


def compute_chunk(session: Session, round_id: int, low: int, high: int) -> int:
    """Score every target with an id in [low, high]; returns how many.

    On PostgreSQL a three-way or leadership chunk is one ``INSERT … SELECT`` (``scoring_sql``); otherwise
    the database hands over the statistics and ``domain.scoring`` scores each target."""
    round_ = get_round(session, round_id)
    if scoring_sql.applies(session, round_):
        return scoring_sql.compute_chunk(session, round_, low, high, _whole_round(session, round_id, low, high))
    return score_chunk(session, round_, low, high)


def score_chunk(session: Session, round_: Round, low: int, high: int) -> int:
    """``compute_chunk`` in Python: the statistics from the database, each target scored by ``domain.scoring``."""
    round_id = round_.id
    stats = chunk_stats(session, round_id, low, high)
    stmt = select(RoundTarget.id, RoundTarget.target_type).where(RoundTarget.round_id == round_id,
                                                                  RoundTarget.id.between(low, high))
    if round_.kind == "pledge_evaluation":  # whose pledge: a person's own self part is kept apart for them
        stmt = stmt.add_columns(PledgeCopy.pledger_type).outerjoin(
            PledgeCopy, (RoundTarget.target_type == "pledge") & (PledgeCopy.id == RoundTarget.target_id))
    targets = [(row[0], row[1], row[2] if len(row) > 2 else None) for row in session.execute(stmt)]
    rows = []
    for ref, target_type, pledger_type in targets:
        s = score_target(target_type, stats.get(ref, []), round_.settings, personal=pledger_type == "person")
        rows.append({"round_id": round_id, "target_ref": ref, "n": s.n, "ratings": s.ratings,
                     "rating_sum": s.rating_sum, "dimensions": as_float(s.dimensions), "parts": as_float(s.parts),
                     "score": s.score, "score_exact": to_text(s.exact),
                     "own_self": None if s.own_self is None else float(s.own_self),
                     "grade": s.grade, "rank_in_org": None, "rank_in_round": None, "suppressed": s.suppressed,
                     "suppression": "min_group" if s.suppressed else None})
    _upsert_results(session, rows)
    return len(rows)


def _upsert_results(session: Session, rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO UPDATE for every row, as one executemany: psycopg 3 pipelines it (one
    prepared statement, no round trip per row).  Measured on 2,500 targets: 0.3–0.4 s less than
    RETURNING + insertmanyvalues, whose 13,000-parameter statements psycopg re-parses in Python.
    ``shared.db.upsert`` builds the statement once (no RETURNING) and updates every other column."""
    if rows:
        session.execute(upsert(session, Result, ["round_id", "target_ref"]), rows)


def finish(ctx: Context, round_id: int) -> bool:
    """Ranks, complementary suppression, summaries, ``results_ready``; False if it was already done."""
    session = ctx.session
    round_ = get_round(session, round_id, lock=True)
    if round_.state == "results_ready":
        return False
    next_state = transition(round_.state, "publish_results")
    groups = ranking.groups(session, round_id)
    hidden, withheld = ranking.complementary(groups, round_.settings["min_group"])
    ranking.hide(session, round_id, hidden)
    ranking.rank(session, round_id)
    ranking.summaries(session, round_, withheld)
    round_.state, round_.results_at = next_state, ctx.now()
    publish_results(ctx, round_)
    return True
