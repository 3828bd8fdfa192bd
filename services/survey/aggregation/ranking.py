"""The finishing pass over a round's scored targets: complementary suppression, ranks, org summaries."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, delete, distinct, func, select, text, tuple_, update
from sqlalchemy.orm import Session

from services.survey.aggregation.domain.scoring import (
    Cell,
    complementary_suppression,
    pooled_score,
    stored_ranks,
)
from services.survey.results.models import OrgSummary, Result
from services.survey.rounds.models import Round, RoundTarget

Groups = dict[tuple[int, str], list]  # (org id, target type) → its targets' result rows


def groups(session: Session, round_id: int) -> Groups:
    """The round's groups that hold a target suppressed for too few raters (with ratings): the only ones
    complementary suppression can change (a group without one publishes as it is), with all their targets."""
    touched = (select(RoundTarget.org_id, RoundTarget.target_type).join(Result, RoundTarget.id == Result.target_ref)
               .where(Result.round_id == round_id, Result.suppression == "min_group", Result.n > 0).distinct())
    rows = session.execute(
        select(Result.target_ref, Result.n, Result.suppression, RoundTarget.target_type, RoundTarget.org_id)
        .join(RoundTarget, RoundTarget.id == Result.target_ref)
        .where(Result.round_id == round_id, tuple_(RoundTarget.org_id, RoundTarget.target_type).in_(touched))
    ).all()
    grouped: Groups = defaultdict(list)
    for row in rows:
        grouped[(row.org_id, row.target_type)].append(row)
    return grouped


def complementary(groups: Groups, min_group: int) -> tuple[set[int], set[tuple[int, str]]]:
    """Targets to hide beside the suppressed ones, and the groups whose total must be withheld."""
    hidden: set[int] = set()
    withheld: set[tuple[int, str]] = set()
    for key, members in groups.items():
        cells = [Cell(r.target_ref, r.n, r.suppression == "min_group") for r in members]
        extra, withhold = complementary_suppression(cells, min_group)
        hidden |= extra
        if withhold:
            withheld.add(key)
    return hidden, withheld


def hide(session: Session, round_id: int, hidden: set[int]) -> None:
    if hidden:
        session.execute(update(Result).where(Result.round_id == round_id, Result.target_ref.in_(hidden)).values(
            suppressed=True, suppression="complementary", score=None, score_exact=None, grade=None, dimensions={},
            parts=None))


def rank(session: Session, round_id: int) -> None:
    """Ranks on the exact published scores, highest first, ties sharing (1, 1, 3): within the target's
    org and target type, and within the round and target type.

    The database ranks by the stored float (``RANK() OVER``): a float made from a fraction by rounding is
    in the exact order except among equal floats, and equal exact values have the same (reduced) text.
    Only when a run of equal floats holds different texts (one in a very long while) are the round's ranks
    decided in Python on the fractions (``scoring.stored_ranks``)."""
    results = Result.__table__
    # every chunk wrote its targets unranked; a rank left on a target no longer scored (none, normally) goes
    session.execute(update(results).where(results.c.round_id == round_id, results.c.score_exact.is_(None),
                                          results.c.rank_in_org.is_not(None) | results.c.rank_in_round.is_not(None))
                    .values(rank_in_org=None, rank_in_round=None))
    close_calls = session.execute(
        select(RoundTarget.target_type).join(Result, RoundTarget.id == Result.target_ref)
        .where(Result.round_id == round_id, Result.score_exact.is_not(None))
        .group_by(RoundTarget.target_type, Result.score)
        .having(func.count(distinct(Result.score_exact)) > 1).limit(1)).first()
    if close_calls is None:
        session.execute(text(_RANK_IN_SQL), {"round_id": round_id})
    else:
        _rank_exactly(session, round_id)


_RANK_IN_SQL = """
UPDATE survey_results SET rank_in_org = ranked.in_org, rank_in_round = ranked.in_round
FROM (SELECT r.target_ref,
             RANK() OVER (PARTITION BY t.org_id, t.target_type ORDER BY r.score DESC) AS in_org,
             RANK() OVER (PARTITION BY t.target_type ORDER BY r.score DESC) AS in_round
      FROM survey_results r JOIN survey_round_targets t ON t.id = r.target_ref
      WHERE r.round_id = :round_id AND r.score_exact IS NOT NULL) AS ranked
WHERE survey_results.round_id = :round_id AND survey_results.target_ref = ranked.target_ref
"""


def _rank_exactly(session: Session, round_id: int) -> None:
    rows = session.execute(
        select(Result.target_ref, Result.score, Result.score_exact, RoundTarget.org_id, RoundTarget.target_type)
        .join(RoundTarget, RoundTarget.id == Result.target_ref)
        .where(Result.round_id == round_id, Result.score_exact.is_not(None))).all()
    in_org: dict[tuple[int, str], dict[int, tuple[float, str]]] = defaultdict(dict)
    in_round: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)
    for ref, approx, exact, org_id, target_type in rows:
        in_org[(org_id, target_type)][ref] = in_round[target_type][ref] = (approx, exact)
    by_org = {ref: r for scores in in_org.values() for ref, r in stored_ranks(scores).items()}
    by_round = {ref: r for scores in in_round.values() for ref, r in stored_ranks(scores).items()}
    results = Result.__table__
    session.execute(update(results).where(results.c.round_id == round_id, results.c.target_ref == bindparam("ref"))
                    .values(rank_in_org=bindparam("in_org"), rank_in_round=bindparam("in_round")),
                    [{"ref": ref, "in_org": by_org[ref], "in_round": by_round[ref]} for ref in sorted(by_org)])


def summaries(session: Session, round_: Round, withheld: set[tuple[int, str]]) -> None:
    """One pooled row per org and target type (the database sums, the pooled score is exact); withheld where
    it would reveal a suppressed target."""
    session.execute(delete(OrgSummary).where(OrgSummary.round_id == round_.id))
    pooled_rows = session.execute(
        select(RoundTarget.org_id, RoundTarget.target_type, func.min(RoundTarget.org_path), func.count(),
               func.sum(Result.ratings), func.sum(Result.rating_sum))
        .join(Result, RoundTarget.id == Result.target_ref).where(Result.round_id == round_.id)
        .group_by(RoundTarget.org_id, RoundTarget.target_type).order_by(RoundTarget.org_id, RoundTarget.target_type)
    ).all()
    rows = []
    for org_id, target_type, org_path, targets, ratings, rating_sum in pooled_rows:
        pooled = pooled_score(round(rating_sum or 0), int(ratings or 0), round_.settings)
        suppressed = (org_id, target_type) in withheld or pooled is None
        rows.append({"round_id": round_.id, "org_id": org_id, "target_type": target_type, "org_path": org_path,
                     "targets": targets, "ratings": int(ratings or 0),
                     "score": None if suppressed else float(pooled), "suppressed": suppressed})
    if rows:
        session.execute(OrgSummary.__table__.insert(), rows)
