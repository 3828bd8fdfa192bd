"""Pledge use cases that do not move the lifecycle: create, read, list, and the views the API returns."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.pledge.directory.orgs import get_org, in_subtree, secretaries
from services.pledge.pledges.domain import completion
from services.pledge.pledges.domain.access import Parties, is_pledger, is_reviewer, may_create, may_view
from services.pledge.pledges.domain.lifecycle import allowed_actions
from services.pledge.pledges.models import Carrier, Org, Person, Pledge, PledgeTransition, PledgeVersion
from services.pledge.pledges.schemas import CATEGORY_LABELS, ORG_CATEGORIES, PERSON_CATEGORIES
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate

CONTENT_FIELDS = ("category", "title", "content", "audiences", "targets", "due_on", "carrier_id")


def actor_of(principal: Principal) -> str:
    if principal.is_admin:
        return f"admin:{principal.sub}" if principal.sub else "admin"
    if principal.person_id is not None:
        return f"member:{principal.person_id}"
    if "org_admin" in principal.roles:
        return f"org_admin:{principal.org}"
    return "system"


def snapshot(pledge: Pledge) -> dict[str, Any]:
    """A version in full, as JSON."""
    return {
        "category": pledge.category, "title": pledge.title, "content": pledge.content,
        "audiences": list(pledge.audiences or []), "targets": list(pledge.targets or []),
        "due_on": pledge.due_on.isoformat(), "carrier_id": pledge.carrier_id,
    }


def parties(session: Session, pledge: Pledge, principal: Principal | None = None) -> Parties:
    reviewer_path = session.scalar(select(Org.path).where(Org.id == pledge.reviewer_org_id)) or ""
    secs = frozenset()
    if principal is not None and principal.person_id is not None and pledge.reviewer_org_id:
        secs = frozenset(secretaries(session, pledge.reviewer_org_id))
    return Parties(pledge.pledger_type, pledge.pledger_id, tuple(path_ids(pledge.org_path)),
                   tuple(path_ids(reviewer_path)), secs, pledge.on_ledger)


def load(session: Session, principal: Principal, pledge_id: int, for_update: bool = False) -> Pledge:
    stmt = select(Pledge).where(Pledge.id == pledge_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    pledge = session.scalar(stmt)
    if pledge is None:
        raise NotFound()
    if not may_view(principal, parties(session, pledge, principal)):
        raise Forbidden()
    return pledge


def view(pledge: Pledge, today: date | None = None) -> dict[str, Any]:
    """The pledge as the API returns it: targets with their completion, allowed actions, overdue."""
    today = today or date.today()
    values = pledge.latest_values or {}
    out = {c.key: getattr(pledge, c.key) for c in Pledge.__table__.columns}
    out["targets"] = completion.per_target(target_dates(pledge.targets), values)
    out["category_label"] = CATEGORY_LABELS.get(pledge.category, pledge.category)
    out["allowed_actions"] = allowed_actions(pledge.state)
    out["overdue"] = completion.is_overdue(pledge.due_on, pledge.state, pledge.completion, today)
    return out


def view_for(session: Session, principal: Principal, pledge: Pledge) -> dict[str, Any]:
    """What this caller sees: outsiders see the published version while a look-back revision is in review."""
    out = view(pledge)
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


def target_dates(targets: list[dict]) -> list[dict]:
    return [{**t, "due_on": date.fromisoformat(t["due_on"]) if t.get("due_on") else None} for t in targets or []]


def check_fields(session: Session, pledger_type: str, data: dict) -> dict:
    """Category fits the pledger, carrier exists; targets to JSON (due date defaults to the pledge's)."""
    errors: dict[str, list[str]] = {}
    allowed = ORG_CATEGORIES if pledger_type == "org" else PERSON_CATEGORIES
    if "category" in data and data["category"] not in allowed:
        errors["category"] = [bilingual("类别与承诺主体不符", "category does not fit the pledger")]
    if data.get("carrier_id") is not None and session.get(Carrier, data["carrier_id"]) is None:
        errors["carrier_id"] = [bilingual("活动载体不存在", "no such carrier")]
    if errors:
        raise ValidationFailed(errors=errors)
    out = dict(data)
    if "targets" in data:
        out["targets"] = [{"name": t["name"], "unit": t.get("unit", ""), "target": t["target"],
                           "due_on": t["due_on"].isoformat() if t.get("due_on") else None} for t in data["targets"]]
    return out


def _pledger(session: Session, pledger_type: str, pledger_id: int) -> tuple[str, Org, int | None]:
    """(name, org the pledge belongs to, reviewer org id): a person's branch reviews; an org's parent does."""
    if pledger_type == "org":
        org = session.get(Org, pledger_id)
        if org is not None:
            return org.name, org, org.parent_id
    else:
        person = session.get(Person, pledger_id)
        if person is not None and person.active:
            org = session.get(Org, person.org_id)
            return person.name, org, org.id
    raise ValidationFailed(errors=field_errors(pledger_id=bilingual("承诺主体不存在", "no such pledger")))


def create(session: Session, principal: Principal, data: dict) -> Pledge:
    name, org, reviewer = _pledger(session, data["pledger_type"], data["pledger_id"])
    access = Parties(data["pledger_type"], data["pledger_id"], tuple(path_ids(org.path)), ())
    if not may_create(principal, access):
        raise Forbidden()
    fields = check_fields(session, data["pledger_type"], data)
    pledge = Pledge(**fields, pledger_name=name, org_id=org.id, org_path=org.path, reviewer_org_id=reviewer,
                    state="draft", version=1, on_ledger=False, channels=[], exemplar=False, latest_values={},
                    completion=0.0, created_by=actor_of(principal))
    session.add(pledge)
    session.flush()
    session.add(PledgeVersion(pledge_id=pledge.id, version=1, data=snapshot(pledge), created_by=pledge.created_by))
    record(session, pledge, "create", None, "draft", actor_of(principal), None)
    return pledge


def list_pledges(session: Session, principal: Principal, args: dict) -> dict:
    stmt = select(Pledge).order_by(Pledge.id)
    if "org_id" in args:
        org = get_org(session, args["org_id"])
        stmt = stmt.where(in_subtree(Pledge.org_path, org.path) if args.get("subtree") else Pledge.org_id == org.id)
    stmt = _visible(session, stmt, principal)
    for name in ("state", "pledger_type", "pledger_id", "carrier_id"):
        if name in args:
            stmt = stmt.where(getattr(Pledge, name) == args[name])
    if "exemplar" in args:
        stmt = stmt.where(Pledge.exemplar.is_(args["exemplar"]))
    if "due_before" in args:
        stmt = stmt.where(Pledge.due_on < args["due_before"])
    return paginate(session, stmt, args["page"], args["page_size"])


def _visible(session: Session, stmt, principal: Principal):
    if principal.is_admin or principal.is_system:
        return stmt
    mine = []
    if principal.person_id is not None:
        mine.append((Pledge.pledger_type == "person") & (Pledge.pledger_id == principal.person_id))
    if "org_admin" in principal.roles and principal.org is not None:
        path = session.scalar(select(Org.path).where(Org.id == principal.org))
        if path:
            mine.append(in_subtree(Pledge.org_path, path))
    return stmt.where(or_(Pledge.on_ledger.is_(True), *mine))


def record(session: Session, pledge: Pledge, action: str, from_state: str | None, to_state: str, actor: str,
           comment: str | None) -> PledgeTransition:
    """One line of the pledge's history."""
    row = PledgeTransition(pledge_id=pledge.id, version=pledge.version, action=action, from_state=from_state,
                           to_state=to_state, actor=actor, comment=comment)
    session.add(row)
    session.flush()
    return row


def require_org_admin(session: Session, principal: Principal, org_id: int) -> Org:
    org = get_org(session, org_id)
    require_org(principal, path_ids(org.path))
    return org
