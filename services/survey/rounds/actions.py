"""Use cases that move a round through its lifecycle: create, open (issue the ballots), close.

A large round is opened by the workers (:mod:`services.survey.rounds.opening`).

A round closes by hand or when its ``closes_at`` has come; closing queues its aggregation in the same
transaction (the outbox, to survey's own queue).
"""

from __future__ import annotations

from sqlalchemy import select, update

from services.survey.directory.lookups import org_path
from services.survey.rounds import issuing, opening
from services.survey.rounds.access import require_round_admin
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.domain.messages import AggregateRound
from services.survey.rounds.domain.period import with_period
from services.survey.rounds.domain.rules import round_settings
from services.survey.rounds.models import Ballot, Round
from services.survey.rounds.reading import get_round, view
from shared.context import Context
from shared.directory import path_ids
from shared.errors import ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.principal import Principal, require_org


def create_round(ctx: Context, principal: Principal, data: dict) -> dict:
    """A draft round over an org subtree the caller administers, with its settings (defaults filled in)."""
    session, now = ctx.session, ctx.now()
    path = org_path(session, data["root_org_id"])
    if path is None:
        raise ValidationFailed(errors=field_errors(root_org_id=bilingual("组织不存在", "no such org")))
    require_org(principal, path_ids(path))
    if data["closes_at"] <= now:
        raise ValidationFailed(errors=field_errors(
            closes_at=bilingual("截止时间必须晚于现在", "must be in the future")))
    closes_on = data["closes_at"].astimezone(ctx.settings.zone).date()
    settings = round_settings(with_period(data.get("settings") or {}, closes_on))
    round_ = Round(kind=data["kind"], title=data["title"], root_org_id=data["root_org_id"], root_path=path,
                   closes_at=data["closes_at"], state="draft", settings=settings, created_at=now)
    session.add(round_)
    session.flush()
    return view(session, round_)


def open_round(ctx: Context, principal: Principal, round_id: int) -> dict:
    """Fix the targets, issue one ballot per rater and invite every holder: within the request, or for a
    round with more raters than one issuing chunk by the workers (state ``opening`` until they are done)."""
    now = ctx.now()
    round_ = get_round(ctx.session, round_id, lock=True)
    require_round_admin(principal, round_)
    transition(round_.state, "open")
    if round_.closes_at <= now:
        raise ValidationFailed(errors=field_errors(closes_at=bilingual("截止时间已过", "the closing time has passed")))
    round_.opened_at, round_.opening_error = now, None
    if issuing.people_in_scope(ctx.session, round_.root_path) > round_.settings["plan_within_request"]:
        opening.begin(ctx, round_, None)  # planning this many people takes seconds: the workers do it
        return view(ctx.session, round_)
    plan, orgs_of = issuing.prepare(ctx.session, round_)
    if not plan.ballots:
        raise ValidationFailed(errors=field_errors(root_org_id=opening.NOBODY_CAN_RATE))
    if opening.is_large(round_, plan):
        opening.begin(ctx, round_, len(plan.ballots))
        return view(ctx.session, round_)
    round_.state = transition(round_.state, "open")
    issuing.issue(ctx, round_, plan, orgs_of)
    return view(ctx.session, round_)


def close(ctx: Context, round_: Round) -> None:
    """Close and queue the aggregation in the same transaction (outbox to our own queue)."""
    round_.state = transition(round_.state, "close")
    round_.closed_at = ctx.now()
    ctx.session.execute(update(Ballot).where(Ballot.round_id == round_.id, Ballot.reminder_hash.is_not(None))
                        .values(reminder_hash=None))
    ctx.publish(AggregateRound(round_id=round_.id))


def close_round(ctx: Context, principal: Principal, round_id: int) -> dict:
    round_ = get_round(ctx.session, round_id, lock=True)
    require_round_admin(principal, round_)
    close(ctx, round_)
    return view(ctx.session, round_)


def close_due(ctx: Context) -> list[int]:
    """Rounds whose ``closes_at`` has come: closed (the scheduler calls this every minute)."""
    due = ctx.session.scalars(select(Round).where(Round.state == "open", Round.closes_at <= ctx.now())
                              .order_by(Round.id)).all()
    for round_ in due:
        close(ctx, round_)
    return [r.id for r in due]
