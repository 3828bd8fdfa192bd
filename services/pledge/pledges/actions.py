"""Lifecycle use cases: every move goes through ``lifecycle.transition`` and leaves a line of history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from services.pledge.pledges import events
from services.pledge.pledges.domain import completion, outcomes
from services.pledge.pledges.domain.access import actor_of, may
from services.pledge.pledges.domain.lifecycle import CHANNELS, OUTCOME_NAMES, transition
from services.pledge.pledges.drafts import CONTENT_FIELDS, check_fields, snapshot
from services.pledge.pledges.history import record
from services.pledge.pledges.models import Pledge, PledgeVersion
from services.pledge.pledges.views import view
from services.pledge.pledges.visibility import load, parties
from services.pledge.suggestions.answering import cite
from shared.context import Context
from shared.errors import Forbidden
from shared.principal import Principal

Handler = Callable[[Context, Pledge, dict, str], str | None]  # returns the transition's comment


def _apply_fields(pledge: Pledge, fields: dict) -> None:
    if "suggestion_ids" in fields:
        cite(object_session(pledge), pledge.id, pledge.org_path, fields["suggestion_ids"])
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(pledge, name, fields[name])


def _edit(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    _apply_fields(pledge, check_fields(ctx.session, pledge.pledger_type, data))
    row = ctx.session.scalar(select(PledgeVersion).where(PledgeVersion.pledge_id == pledge.id,
                                                     PledgeVersion.version == pledge.version))
    row.data = snapshot(pledge)
    return ", ".join(sorted(k for k in data if k in (*CONTENT_FIELDS, "suggestion_ids"))) or None


def _submit(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    return data.get("comment")


def _approve(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    if pledge.published_version is not None:  # a look-back revision: the new version becomes the visible one
        pledge.published_version = pledge.version
    return data.get("comment")


def _publish(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.published_version, pledge.on_ledger = pledge.version, True
    pledge.channels = [c for c in CHANNELS if c in set(data.get("channels") or CHANNELS)]
    pledge.on_board, pledge.on_meeting, pledge.on_intranet = (c in pledge.channels for c in CHANNELS)
    pledge.published_at = pledge.published_at or ctx.now()
    return data.get("comment")


def _revise(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    fields = check_fields(ctx.session, pledge.pledger_type, data)
    pledge.version += 1
    _apply_fields(pledge, fields)
    ctx.session.add(PledgeVersion(pledge_id=pledge.id, version=pledge.version, data=snapshot(pledge),
                              reason=data["reason"], created_by=actor))
    pledge.completion = completion.overall(pledge.targets, pledge.latest_values or {})
    return data["reason"]


def _close(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    """The outcome chosen, or the one the evaluation suggests; a choice that differs is recorded as such."""
    pledge.suggested_outcome = outcomes.suggest(pledge.completion, pledge.evaluation_score)
    pledge.outcome = data.get("outcome") or pledge.suggested_outcome
    if not outcomes.differs(pledge.outcome, pledge.suggested_outcome):
        return data.get("comment")
    note = f"结果与评价建议不同：建议{OUTCOME_NAMES[pledge.suggested_outcome]}，选定{OUTCOME_NAMES[pledge.outcome]}"
    return f"{data['comment']}（{note}）" if data.get("comment") else note


def _withdraw(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.on_ledger = pledge.on_board = pledge.on_meeting = pledge.on_intranet = False
    return data["reason"]


def _exemplar(ctx: Context, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.exemplar, pledge.exemplar_note = True, data.get("note")
    return data.get("note")


HANDLERS: dict[str, Handler] = {
    "edit": _edit, "submit": _submit, "approve": _approve, "return": _submit, "publish": _publish,
    "revise": _revise, "close": _close, "withdraw": _withdraw, "exemplar": _exemplar,
}


def act(ctx: Context, principal: Principal, pledge_id: int, action: str, data: dict) -> Pledge:
    """Take ``action`` on a pledge: 403 when the caller may not, 409 when the state does not allow it."""
    session = ctx.session
    pledge = load(session, principal, pledge_id, for_update=True)
    if not may(principal, action, parties(session, pledge, principal)):
        raise Forbidden()
    before = pledge.state
    after = transition(before, action)
    actor = actor_of(principal)
    comment = HANDLERS[action](ctx, pledge, data, actor)
    pledge.state = after
    row = record(session, pledge, action, before, after, actor, comment)
    events.after_transition(ctx, pledge, action, row)
    return pledge


def take(ctx: Context, principal: Principal, pledge_id: int, action: str, data: dict) -> dict[str, Any]:
    """``act``, answered with the pledge as the API shows it."""
    return view(act(ctx, principal, pledge_id, action, data), ctx.today())


def review(ctx: Context, principal: Principal, pledge_id: int, data: dict) -> dict[str, Any]:
    """审诺: approve or return a submitted pledge (``data["decision"]``)."""
    return take(ctx, principal, pledge_id, data["decision"], data)
