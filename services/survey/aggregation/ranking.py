"""The finishing pass over a round's scored targets: complementary suppression, ranks, org summaries."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Numeric, cast, delete, func, select, update
from sqlalchemy.orm import Session

from services.survey.aggregation.domain.scoring import Cell, complementary_suppression
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
            suppressed=True, suppression="complementary", score=None, grade=None, dimensions={}, parts=None))


def rank(session: Session, round_id: int) -> None:
    """RANK() over the published scores, highest first, ties sharing (1, 1, 3): within the target's org
    and target type, and within the round and target type.  Scores are compared at 9 decimals (values
    equal in exact arithmetic may differ in a float's last bits)."""
    key = func.round(cast(Result.score, Numeric), 9).desc()
    ranked = (select(Result.target_ref.label("ref"),
                     func.rank().over(partition_by=(RoundTarget.org_id, RoundTarget.target_type), order_by=key)
                     .label("in_org"),
                     func.rank().over(partition_by=RoundTarget.target_type, order_by=key).label("in_round"))
              .join(RoundTarget, RoundTarget.id == Result.target_ref)
              .where(Result.round_id == round_id, Result.score.is_not(None)).subquery())
    results = Result.__table__
    session.execute(update(results).where(results.c.round_id == round_id).values(rank_in_org=None, rank_in_round=None))
    session.execute(update(results).where(results.c.round_id == round_id, results.c.target_ref == ranked.c.ref)
                    .values(rank_in_org=ranked.c.in_org, rank_in_round=ranked.c.in_round))


def summaries(session: Session, round_: Round, groups: Groups, withheld: set) -> None:
    """One pooled row per org and target type; withheld where it would reveal a suppressed target."""
    session.execute(delete(OrgSummary).where(OrgSummary.round_id == round_.id))
    rows = []
    for (org_id, target_type), members in sorted(groups.items()):
        ratings = sum(r.ratings for r in members)
        pooled = sum(r.rating_sum for r in members) / ratings if ratings else None
        suppressed = (org_id, target_type) in withheld or pooled is None
        rows.append({"round_id": round_.id, "org_id": org_id, "target_type": target_type,
                     "org_path": members[0].org_path, "targets": len(members), "ratings": ratings,
                     "score": None if suppressed else pooled * 100.0 / round_.settings["scale_max"],
                     "suppressed": suppressed})
    if rows:
        session.execute(OrgSummary.__table__.insert(), rows)
