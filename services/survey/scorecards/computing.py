"""Computing a year's scorecards as steps a Celery chord runs: ``start`` cuts the orgs into chunks, one
``compute_chunk`` per chunk scores its orgs (in parallel), ``finish`` ranks them.  Every step can run
again with the same outcome: a chunk upserts its orgs' rows, ``finish`` ranks whatever is there.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.survey.directory.models import directory
from services.survey.results.models import Result
from services.survey.rounds.domain.period import period_of
from services.survey.rounds.models import Round, RoundTarget
from services.survey.scorecards import facts
from services.survey.scorecards.configuring import settings_of
from services.survey.scorecards.domain.composition import Facts, RoundScores, from_text, ranks, scorecard, to_text
from services.survey.scorecards.models import Scorecard
from shared.context import Context
from shared.db import upsert

CHUNK = 250  # orgs per chunk task
ORG_TARGETS = {"branch": "three_way", "committee": "three_way", "team": "leadership"}


def scored_orgs(session: Session, ids: list[int] | None = None) -> list:
    """Every active committee and branch below the group root (the root ranks them, it is not ranked);
    ``ids``: only those."""
    o = directory.orgs
    stmt = (select(o.c.id, o.c.name, o.c.kind, o.c.parent_id, o.c.path)
            .where(o.c.active.is_(True), o.c.parent_id.is_not(None), o.c.kind.in_(("committee", "branch"))))
    if ids is not None:
        stmt = stmt.where(o.c.id.in_(ids))
    return session.execute(stmt.order_by(o.c.path)).all()


def start(session: Session, year: int, chunk: int | None = None) -> list[list[int]]:
    """The orgs to score in chunks (of ``CHUNK``); scorecards of orgs no longer scored are dropped."""
    chunk = chunk or CHUNK
    ids = [row.id for row in scored_orgs(session)]
    stale = delete(Scorecard).where(Scorecard.year == year)
    session.execute(stale.where(Scorecard.org_id.not_in(ids)) if ids else stale)
    return [ids[i:i + chunk] for i in range(0, len(ids), chunk)]


def year_rounds(session: Session, year: int) -> dict[int, str]:
    """Round id → kind, for the rounds with results whose period begins in ``year``."""
    rows = session.execute(select(Round.id, Round.kind, Round.settings, Round.closes_at)
                           .where(Round.state == "results_ready")).all()
    return {r.id: r.kind for r in rows if period_of(r.settings, r.closes_at.date())[0].year == year}


def _exact(score) -> Fraction:
    """A stored result score as the fraction it stands for (a float's nearest with a denominator ≤ 10^6:
    scores are means of means of integer ratings; exact values are read as they are)."""
    return Fraction(score).limit_denominator(10**6) if isinstance(score, float) else Fraction(score)


def round_scores(session: Session, rounds: dict[int, str], org_ids: list[int]) -> dict[int, RoundScores]:
    """Per org, its published scores in those rounds: its pledges' 评诺, its own 三测评, its team's."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if rounds and org_ids:
        t = RoundTarget
        base = (select(t.target_type, t.target_id, t.org_id, Result.score).join(Result, Result.target_ref == t.id)
                .where(t.round_id.in_(list(rounds)), Result.score.is_not(None), Result.suppressed.is_(False)))
        for row in session.execute(base.where(t.target_type.in_(list(ORG_TARGETS)), t.target_id.in_(org_ids))):
            found[row.target_id][ORG_TARGETS[row.target_type]].append(_exact(row.score))
        for row in session.execute(base.where(t.target_type == "pledge", t.org_id.in_(org_ids))):
            found[row.org_id]["pledge_evaluation"].append(_exact(row.score))
    return {oid: RoundScores(**{k: tuple(v) for k, v in parts.items()}) for oid, parts in found.items()}


def compute_chunk(ctx: Context, year: int, org_ids: list[int]) -> int:
    session = ctx.session
    settings = settings_of(session, year)
    orgs = scored_orgs(session, org_ids)
    known = facts.of_orgs(session, year, org_ids)
    scores = round_scores(session, year_rounds(session, year), org_ids)
    rows, bands, none, nothing, now = [], settings.bands, Facts(), RoundScores(), ctx.now()
    for org in orgs:
        card = scorecard(known.get(org.id, none), scores.get(org.id, nothing), settings, bands)
        rows.append({"org_id": org.id, "year": year, "name": org.name, "kind": org.kind, "parent_id": org.parent_id,
                     "org_path": org.path, "parts": {p: to_text(v) for p, v in card.parts.items()},
                     "score": to_text(card.score), "score_value": None if card.score is None else float(card.score),
                     "grade": card.grade, "rank": None, "rank_in_parent": None, "computed_at": now})
    if rows:
        session.execute(upsert(session, Scorecard, ["org_id", "year"]), rows)
    return len(rows)


def finish(session: Session, year: int) -> int:
    """Ranks within the group (per kind) and among siblings (per parent and kind), on the exact scores."""
    cards = session.execute(select(Scorecard.org_id, Scorecard.kind, Scorecard.parent_id, Scorecard.score)
                            .where(Scorecard.year == year)).all()
    by_kind: dict[str, dict] = defaultdict(dict)
    by_parent: dict[tuple, dict] = defaultdict(dict)
    for c in cards:
        by_kind[c.kind][c.org_id] = by_parent[(c.parent_id, c.kind)][c.org_id] = from_text(c.score)
    in_group = {k: v for group in by_kind.values() for k, v in ranks(group).items()}
    in_parent = {k: v for group in by_parent.values() for k, v in ranks(group).items()}
    rows = [{"org_id": oid, "year": year, "rank": in_group[oid], "rank_in_parent": in_parent[oid]} for oid in in_group]
    if rows:
        session.execute(update(Scorecard), rows)  # bulk UPDATE by primary key
    return len(rows)


def run(unit_of_work, year: int) -> int:
    """The whole computation in this process, step by step (``xianfeng daily``, tests, benchmarks): each
    step its own unit of work, as the chord's tasks are; returns how many orgs were scored."""
    with unit_of_work() as ctx:
        chunks = start(ctx.session, year)
    for ids in chunks:
        with unit_of_work() as ctx:
            compute_chunk(ctx, year, ids)
    with unit_of_work() as ctx:
        return finish(ctx.session, year)
