"""A pledge as the API shows it: targets with their completion, allowed actions, overdue; outsiders see the
published version while a look-back revision is in review."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from services.pledge.pledges.domain import completion, outcomes
from services.pledge.pledges.domain.access import is_pledger, is_reviewer, may
from services.pledge.pledges.domain.categories import label
from services.pledge.pledges.domain.lifecycle import allowed_actions, can
from services.pledge.pledges.models import Pledge, PledgeVersion, ProgressReport
from services.pledge.pledges.visibility import load, parties
from services.pledge.suggestions.answering import cited_by
from shared.context import Context
from shared.principal import Principal


def target_dates(targets: list[dict]) -> list[dict]:
    return [{**t, "due_on": date.fromisoformat(t["due_on"]) if t.get("due_on") else None} for t in targets or []]


def view(pledge: Pledge, today: date) -> dict[str, Any]:
    """The working version: targets with their completion, allowed actions, overdue on ``today``."""
    values = pledge.latest_values or {}
    out = {c.key: getattr(pledge, c.key) for c in Pledge.__table__.columns}
    out["targets"] = completion.per_target(target_dates(pledge.targets), values)
    out["category_label"] = label(pledge.category)
    out["allowed_actions"] = allowed_actions(pledge.state)
    out["overdue"] = completion.is_overdue(pledge.due_on, pledge.state, pledge.completion, today)
    out["suggestion_ids"] = cited_by(object_session(pledge), pledge.id)
    if pledge.state == "published":  # what closing would suggest now
        out["suggested_outcome"] = outcomes.suggest(pledge.completion, pledge.evaluation_score)
    out["outcome_differs"] = outcomes.differs(pledge.outcome, out["suggested_outcome"])
    return out


def view_for(session: Session, principal: Principal, pledge: Pledge, today: date) -> dict[str, Any]:
    """What this caller sees: outsiders see the published version while a look-back revision is in review."""
    out = view(pledge, today)
    if pledge.published_version in (None, pledge.version) or principal.is_admin or principal.is_system:
        return out
    access = parties(session, pledge, principal)
    if is_pledger(principal, access) or is_reviewer(principal, access):
        return out
    data = session.scalar(select(PledgeVersion.data).where(PledgeVersion.pledge_id == pledge.id,
                                                           PledgeVersion.version == pledge.published_version))
    values = pledge.latest_values or {}
    out.update({k: data[k] for k in ("category", "title", "content", "audiences", "carrier_id")})
    out.update(version=pledge.published_version, due_on=date.fromisoformat(data["due_on"]),
               targets=completion.per_target(target_dates(data["targets"]), values),
               completion=completion.overall(data["targets"], values), allowed_actions=[])
    return out


def page_of_views(ctx: Context, principal: Principal, page: dict) -> dict:
    """A page of pledges, each as this caller sees it."""
    today = ctx.today()
    return {**page, "items": [view_for(ctx.session, principal, p, today) for p in page["items"]]}


def read_pledge(ctx: Context, principal: Principal, pledge_id: int) -> dict[str, Any]:
    """One pledge, as this caller sees it (404 unknown, 403 hidden)."""
    return view_for(ctx.session, principal, load(ctx.session, principal, pledge_id), ctx.today())


def progress_view(report: ProgressReport, targets: list[dict]) -> dict:
    return {**{c.key: getattr(report, c.key) for c in ProgressReport.__table__.columns},
            "targets": completion.per_target(target_dates(targets), report.values)}


def page_view(ctx: Context, principal: Principal, pledge_id: int) -> dict[str, Any]:
    """The pledge page of a notification's recipient: the pledge as they see it, whether they may review it now
    (a reviewer of a submitted pledge) and whether it has a board entry to open."""
    pledge = load(ctx.session, principal, pledge_id)
    shown = view_for(ctx.session, principal, pledge, ctx.today())
    reviewable = can(pledge.state, "approve") and may(principal, "approve", parties(ctx.session, pledge, principal))
    return {"pledge": shown, "reviewable": reviewable, "on_board": pledge.on_ledger}
