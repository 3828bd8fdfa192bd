"""Opening a large round: the request answers 202 ``opening``; workers issue the ballots in chunks.

``begin`` (in the request, with the plan it computed) marks the round ``opening`` with the number of ballots
to come and queues :class:`OpenRound` through the outbox → ``start`` fixes the targets and cuts the raters
into chunks → ``issue_chunk`` per chunk (in parallel) writes its ballots, their targets and their
invitations in one transaction → ``finish`` makes the round ``open``.  Every step can run again: a chunk
whose raters hold their ballots already does nothing (a chunk commits all of them or none), a resumed
``start`` reads back the targets it fixed, ``finish`` on an open round does nothing; a round left
``opening`` (a lost message, a chunk failed for good) is resumed by :func:`resume_stale`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

from sqlalchemy import select

from services.survey.directory.lookups import org_paths
from services.survey.rounds import issuing
from services.survey.rounds.domain.eligibility import Plan
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.domain.messages import OpenRound
from services.survey.rounds.issuing import Rater
from services.survey.rounds.models import Ballot, Round
from services.survey.rounds.reading import get_round
from shared.context import Context
from shared.i18n import bilingual, field_message

NOBODY_CAN_RATE = bilingual("该范围内没有可参评的人员", "nobody in this subtree can rate anything")

# a chunk as the task carries it: the orgs' paths, and raters grouped by identical ballots (the employees
# of a branch all rate its members: one list of links for all of them)
Chunk = dict[str, list]
UnitOfWork = Callable[[], AbstractContextManager[Context]]


def is_large(round_: Round, plan: Plan) -> bool:
    """More raters than one issuing chunk: issued by the workers, not within the request."""
    return len(plan.ballots) > round_.settings["issue_chunk"]


def begin(ctx: Context, round_: Round, planned: int | None) -> None:
    """``planned``: the ballots to come, or ``None`` when the workers plan the round (a very large scope)."""
    round_.state = transition(round_.state, "start_opening")
    round_.ballots_planned = planned
    ctx.publish(OpenRound(round_id=round_.id))


def start(ctx: Context, round_id: int) -> list[Chunk] | None:
    """Fix the targets (once) and cut the raters into chunks; ``None``: the round is not opening."""
    session = ctx.session
    round_ = get_round(session, round_id, lock=True)
    if round_.state != "opening":
        return None
    plan, orgs_of = issuing.prepare(session, round_)
    if not plan.ballots:  # planned here, not in the request (a very large scope): nobody can rate anything
        round_.state = transition(round_.state, "abandon_opening")
        round_.opened_at, round_.ballots_planned = None, None
        round_.opening_error = f"{NOBODY_CAN_RATE} ({field_message(NOBODY_CAN_RATE, 'en')})"
        return None
    paths = org_paths(session)
    refs = issuing.fix_targets(session, round_, plan, paths)
    everyone = issuing.raters(plan, orgs_of, refs)
    round_.ballots_planned = len(everyone)
    size = round_.settings["issue_chunk"]
    return [pack(everyone[i:i + size], paths) for i in range(0, len(everyone), size)]


def pack(chosen: list[Rater], paths: dict[int, str]) -> Chunk:
    groups: dict[tuple, list[list[int]]] = {}
    for pid, org, links in chosen:
        groups.setdefault(tuple(links), []).append([pid, org])
    orgs = {org for _, org, _ in chosen}
    return {"paths": [[org, paths.get(org, "")] for org in sorted(orgs)],
            "groups": [[[list(link) for link in links], members] for links, members in groups.items()]}


def unpack(chunk: Chunk) -> tuple[list[Rater], dict[int, str]]:
    chosen = [(pid, org, [(ref, part) for ref, part in links]) for links, members in chunk["groups"]
              for pid, org in members]
    return sorted(chosen), {org: path for org, path in chunk["paths"]}


def issue_chunk(ctx: Context, round_id: int, number: int, chunk: Chunk) -> int:
    """The ballots and invitations of one chunk of raters; those who hold a ballot already are skipped."""
    session = ctx.session
    round_ = get_round(session, round_id)
    if round_.state != "opening":
        return 0
    chosen, paths = unpack(chunk)
    if not chosen:
        return 0
    held = set(session.scalars(select(Ballot.person_id).where(
        Ballot.round_id == round_id, Ballot.person_id.between(chosen[0][0], chosen[-1][0]))))
    todo = [r for r in chosen if r[0] not in held]
    return issuing.write_ballots(ctx, round_, todo, paths, f"invite:{number}")


def finish(ctx: Context, round_id: int) -> bool:
    """Every chunk done: the round is ``open``; False if it was not opening (a repeated callback)."""
    round_ = get_round(ctx.session, round_id, lock=True)
    if round_.state != "opening":
        return False
    round_.state = transition(round_.state, "finish_opening")
    round_.ballots_planned = None
    return True


def resume_stale(ctx: Context, after: timedelta) -> list[int]:
    """Rounds opening for longer than ``after``: queue their opening again (done chunks are skipped)."""
    stale = ctx.session.scalars(select(Round).where(Round.state == "opening",
                                                    Round.opened_at <= ctx.now() - after)).all()
    for round_ in stale:
        ctx.publish(OpenRound(round_id=round_.id))
    return [r.id for r in stale]


def run(unit_of_work: UnitOfWork, round_id: int) -> bool:
    """The whole opening in this process, step by step (each its own unit of work, as the tasks are)."""
    with unit_of_work() as ctx:
        chunks = start(ctx, round_id)
        if chunks is None:
            return False
    for number, chunk in enumerate(chunks):
        with unit_of_work() as ctx:
            issue_chunk(ctx, round_id, number, chunk)
    with unit_of_work() as ctx:
        return finish(ctx, round_id)
