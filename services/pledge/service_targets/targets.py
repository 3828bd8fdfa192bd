"""三服务 use cases: set a service target, revise it (a new version, the old kept), withdraw it, read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.domain.rules import MAX_ID
from services.pledge.directory.lookups import fetch, get_org, in_subtree
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.domain.access import actor_of
from services.pledge.pledges.domain.carriers import period_end
from services.pledge.service_targets import announce, setters
from services.pledge.service_targets.domain.providers import beneficiaries_of
from services.pledge.service_targets.models import ServiceTarget, ServiceTargetVersion
from shared import db
from shared.context import Context
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal

CONTENT = ("title", "content")


def _provider(session: Session, provider_type: str, provider_id: int) -> tuple[str, Org]:
    """(name, org): an org provides as itself; a person must be an active party member of their org."""
    if provider_type == "org":
        org = fetch(session, Org, provider_id)
        if org is not None:
            return org.name, org
    else:
        person = fetch(session, Person, provider_id)
        if person is not None and person.active and person.party_member:
            return person.name, session.get(Org, person.org_id)
    raise ValidationFailed(errors=field_errors(provider_id=bilingual(
        "服务主体不存在（个人须为在册党员）", "no such provider (a person must be an active party member)")))


def snapshot(target: ServiceTarget) -> dict[str, Any]:
    return {"title": target.title, "content": target.content, "period_kind": target.period_kind,
            "period_start": target.period_start.isoformat(), "period_end": target.period_end.isoformat(),
            "beneficiaries": target.beneficiaries, "active": target.active}


def _saved(session: Session, target: ServiceTarget) -> ServiceTarget:
    """Flush, 409 when the provider already has a target of that title for the period.  Checked by a query,
    not a savepoint: releasing a savepoint after a message was published in the same transaction fires the
    outbox's after-commit relay while the outer transaction still holds SQLite's lock."""
    same = select(ServiceTarget.id).where(
        ServiceTarget.provider_type == target.provider_type, ServiceTarget.provider_id == target.provider_id,
        ServiceTarget.period_kind == target.period_kind, ServiceTarget.period_start == target.period_start,
        ServiceTarget.title == target.title)
    if target.id is not None:
        same = same.where(ServiceTarget.id != target.id)
    with session.no_autoflush:
        if session.scalar(same.limit(1)) is not None:
            raise Conflict("service_target_exists", title=target.title)
    session.flush()
    return target


def create_target(ctx: Context, principal: Principal, data: dict) -> ServiceTarget:
    session = ctx.session
    name, org = _provider(session, data["provider_type"], data["provider_id"])
    setters.require_setter(session, principal, data["provider_type"], data["provider_id"], org)
    serves = beneficiaries_of(data["provider_type"], org.kind)
    if data.get("beneficiaries") not in (None, serves):
        raise ValidationFailed(errors=field_errors(beneficiaries=bilingual(
            f"该服务主体的服务对象应为 {serves}", f"this provider serves {serves}")))
    actor = actor_of(principal)
    target = ServiceTarget(
        provider_type=data["provider_type"], provider_id=data["provider_id"], provider_name=name, org_id=org.id,
        org_path=org.path, period_kind=data["period_kind"], period_start=data["period_start"],
        period_end=period_end(data["period_kind"], data["period_start"]), title=data["title"],
        content=data.get("content") or "", beneficiaries=serves, version=1, active=True, created_by=actor)
    session.add(target)
    _saved(session, target)
    session.add(ServiceTargetVersion(target_id=target.id, version=1, data=snapshot(target), created_by=actor))
    announce.changed(ctx, target)
    return target


def _load(session: Session, principal: Principal, target_id: int, for_update: bool = False) -> ServiceTarget:
    stmt = select(ServiceTarget).where(ServiceTarget.id == target_id)
    target = session.scalar(db.for_update(stmt, session) if for_update else stmt) if 0 < target_id <= MAX_ID else None
    if target is None:
        raise NotFound()
    if not setters.may_read(session, principal, target):
        raise Forbidden()
    return target


def _writable(session: Session, principal: Principal, target_id: int) -> ServiceTarget:
    target = _load(session, principal, target_id, for_update=True)
    setters.require_setter(session, principal, target.provider_type, target.provider_id,
                          session.get(Org, target.org_id))
    if not target.active:
        raise Conflict("service_target_withdrawn")
    return target


def revise_target(ctx: Context, principal: Principal, target_id: int, data: dict) -> ServiceTarget:
    """A new version with the changed title/content and the reason; every version is kept."""
    session = ctx.session
    target = _writable(session, principal, target_id)
    for name in CONTENT:
        if name in data:
            setattr(target, name, data[name])
    target.version += 1
    _saved(session, target)
    session.add(ServiceTargetVersion(target_id=target.id, version=target.version, data=snapshot(target),
                                     reason=data["reason"], created_by=actor_of(principal)))
    announce.changed(ctx, target)
    return target


def withdraw_target(ctx: Context, principal: Principal, target_id: int, data: dict) -> ServiceTarget:
    session = ctx.session
    target = _writable(session, principal, target_id)
    target.active, target.withdrawn_reason = False, data["reason"]
    target.version += 1
    session.add(ServiceTargetVersion(target_id=target.id, version=target.version, data=snapshot(target),
                                     reason=data["reason"], created_by=actor_of(principal)))
    session.flush()
    announce.changed(ctx, target)
    return target


def get_target(session: Session, principal: Principal, target_id: int) -> ServiceTarget:
    return _load(session, principal, target_id)


def versions(session: Session, principal: Principal, target_id: int) -> dict:
    target = _load(session, principal, target_id)
    rows = session.scalars(select(ServiceTargetVersion).where(ServiceTargetVersion.target_id == target.id)
                           .order_by(ServiceTargetVersion.version))
    return {"target_id": target.id, "versions": list(rows)}


def list_targets(session: Session, principal: Principal, args: dict) -> dict:
    """``?provider_type=&provider_id=&org_id=&subtree=1&period_start=&period_kind=&active_on=&active=``"""
    stmt = select(ServiceTarget).where(setters.readable(session, principal))
    if args.get("org_id") is not None:
        org = get_org(session, args["org_id"])
        stmt = stmt.where(in_subtree(ServiceTarget.org_path, org.path) if args.get("subtree")
                          else ServiceTarget.org_id == org.id)
    for name in ("provider_type", "provider_id", "period_start", "period_kind"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(ServiceTarget, name) == args[name])
    if args.get("active_on") is not None:
        day = args["active_on"]
        stmt = stmt.where(ServiceTarget.period_start <= day, ServiceTarget.period_end >= day)
    if args.get("active") is not None:
        stmt = stmt.where(ServiceTarget.active.is_(args["active"]))
    stmt = stmt.order_by(ServiceTarget.org_path, ServiceTarget.period_start, ServiceTarget.id)
    return paginate(session, stmt, args["page"], args["page_size"])
