"""Drafting a pledge (by an org or a person): who pledges, to whom it goes for review, its fields checked."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.domain.access import Parties, actor_of, may_create
from services.pledge.pledges.domain.categories import categories_for
from services.pledge.pledges.domain.due_dates import past_due_dates
from services.pledge.pledges.history import record
from services.pledge.pledges.models import Carrier, Pledge, PledgeVersion
from services.pledge.pledges.views import view
from services.pledge.suggestions.answering import cite
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Forbidden, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.principal import Principal

CONTENT_FIELDS = ("category", "title", "content", "audiences", "targets", "due_on", "carrier_id")


def snapshot(pledge: Pledge) -> dict[str, Any]:
    """A version in full, as JSON."""
    return {
        "category": pledge.category, "title": pledge.title, "content": pledge.content,
        "audiences": list(pledge.audiences or []), "targets": list(pledge.targets or []),
        "due_on": pledge.due_on.isoformat(), "carrier_id": pledge.carrier_id,
    }


def check_fields(session: Session, pledger_type: str, data: dict) -> dict:
    """Category fits the pledger, carrier exists; targets to JSON (due date defaults to the pledge's)."""
    errors: dict[str, list[str]] = {}
    if "category" in data and data["category"] not in categories_for(pledger_type):
        errors["category"] = [bilingual("类别与承诺主体不符", "category does not fit the pledger")]
    if data.get("carrier_id") is not None and fetch(session, Carrier, data["carrier_id"]) is None:
        errors["carrier_id"] = [bilingual("活动载体不存在", "no such carrier")]
    if errors:
        raise ValidationFailed(errors=errors)
    out = dict(data)
    if "targets" in data:
        out["targets"] = [{"name": t["name"], "unit": t.get("unit", ""), "target": t["target"],
                           "direction": t.get("direction") or "at_least",
                           "due_on": t["due_on"].isoformat() if t.get("due_on") else None} for t in data["targets"]]
    return out


def _pledger(session: Session, pledger_type: str, pledger_id: int) -> tuple[str, Org, int | None]:
    """(name, org the pledge belongs to, reviewer org id): a person's branch reviews; an org's parent does."""
    if pledger_type == "org":
        org = fetch(session, Org, pledger_id)
        if org is not None:
            return org.name, org, org.parent_id
    else:
        person = fetch(session, Person, pledger_id)
        if person is not None and person.active:
            org = session.get(Org, person.org_id)
            return person.name, org, org.id
    raise ValidationFailed(errors=field_errors(pledger_id=bilingual("承诺主体不存在", "no such pledger")))


def create(session: Session, principal: Principal, data: dict) -> Pledge:
    """A new pledge in ``draft``, version 1, with its first line of history."""
    name, org, reviewer = _pledger(session, data["pledger_type"], data["pledger_id"])
    access = Parties(data["pledger_type"], data["pledger_id"], tuple(path_ids(org.path)), ())
    if not may_create(principal, access):
        raise Forbidden()
    suggestion_ids = data.pop("suggestion_ids", None)
    fields = check_fields(session, data["pledger_type"], data)
    pledge = Pledge(**fields, pledger_name=name, org_id=org.id, org_path=org.path, reviewer_org_id=reviewer,
                    state="draft", version=1, on_ledger=False, channels=[], exemplar=False, latest_values={},
                    completion=0.0, created_by=actor_of(principal))
    session.add(pledge)
    session.flush()
    session.add(PledgeVersion(pledge_id=pledge.id, version=1, data=snapshot(pledge), created_by=pledge.created_by))
    record(session, pledge, "create", None, "draft", actor_of(principal), None)
    if suggestion_ids:
        cite(session, pledge.id, pledge.org_path, suggestion_ids)
    return pledge


def draft(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    """Draft a pledge; the answer is the new pledge as the API shows it.  Due dates in the past are refused
    unless ``historical`` (a past pledge recorded, e.g. an import of last year's ledger)."""
    data = dict(data)
    if not data.pop("historical", False) and (errors := past_due_dates(data, ctx.today())):
        raise ValidationFailed(errors=errors)
    return view(create(ctx.session, principal, data), ctx.today())
