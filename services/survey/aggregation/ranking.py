"""The finishing pass over a round's scored targets: complementary suppression, ranks, org summaries."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, delete, select, text, update
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
    """The round's results grouped as they are published together: per org and target type."""
    rows = session.execute(
        select(Result.target_ref, Result.n, Result.ratings, Result.rating_sum, Result.score, Result.suppression,
               RoundTarget.target_type, RoundTarget.org_id, RoundTarget.org_path)
        .join(RoundTarget, RoundTarget.id == Result.target_ref).where(Result.round_id == round_id)
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
    org and target type, and within the round and target type (``scoring.stored_ranks``)."""
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
    # every chunk wrote its targets unranked; a rank left on a target no longer scored (none, normally) goes
    session.execute(update(results).where(results.c.round_id == round_id, results.c.score_exact.is_(None),
                                          results.c.rank_in_org.is_not(None) | results.c.rank_in_round.is_not(None))
                    .values(rank_in_org=None, rank_in_round=None))
    refs = sorted(by_org)
    if not refs:
        return
    if session.get_bind().dialect.name == "postgresql":  # one statement, three arrays
        session.execute(text(
            "UPDATE survey_results AS r SET rank_in_org = v.in_org, rank_in_round = v.in_round "
            "FROM unnest(CAST(:refs AS integer[]), CAST(:in_org AS integer[]), CAST(:in_round AS integer[])) "
            "AS v(ref, in_org, in_round) WHERE r.round_id = :round_id AND r.target_ref = v.ref"),
            {"refs": refs, "in_org": [by_org[r] for r in refs], "in_round": [by_round[r] for r in refs],
             "round_id": round_id})
        return
    session.execute(update(results).where(results.c.round_id == round_id, results.c.target_ref == bindparam("ref"))
                    .values(rank_in_org=bindparam("in_org"), rank_in_round=bindparam("in_round")),
                    [{"ref": ref, "in_org": by_org[ref], "in_round": by_round[ref]} for ref in refs])


def summaries(session: Session, round_: Round, groups: Groups, withheld: set) -> None:
    """One pooled row per org and target type; withheld where it would reveal a suppressed target."""
    session.execute(delete(OrgSummary).where(OrgSummary.round_id == round_.id))
    rows = []
    for (org_id, target_type), members in sorted(groups.items()):
        ratings = sum(r.ratings for r in members)
        pooled = pooled_score(sum(round(r.rating_sum) for r in members), ratings, round_.settings)
        suppressed = (org_id, target_type) in withheld or pooled is None
        rows.append({"round_id": round_.id, "org_id": org_id, "target_type": target_type,
                     "org_path": members[0].org_path, "targets": len(members), "ratings": ratings,
                     "score": None if suppressed else float(pooled),
                     "suppressed": suppressed})
    if rows:
        session.execute(OrgSummary.__table__.insert(), rows)
