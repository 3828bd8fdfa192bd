"""Use cases of responsibility zones (党员责任区): a zone with its holders, its checks and incidents, and what
it shows — days without incident, the last check, checks passed of total."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain import zones as rules
from services.pledge.daily_work.holders import holders_of_org
from services.pledge.daily_work.models import Zone, ZoneCheck, ZoneHolder, ZoneIncident
from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org
from services.pledge.supervision.access import administered_body_org, readable_org, scoped
from services.pledge.supervision.domain.rules import actor
from shared.context import Context
from shared.errors import NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal

FUTURE = ("日期不能晚于今天", "cannot be in the future")


def _not_future(day, today, field: str) -> None:
    if rules.in_future(day, today):
        raise ValidationFailed(errors=field_errors(**{field: bilingual(*FUTURE)}))


def create_zone(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    session = ctx.session
    org = administered_body_org(session, principal, data["org_id"])
    holders = holders_of_org(session, org, data["holder_ids"], "holder_ids")
    guarantees = rules.guarantees_for(data["kind"], data.get("guarantees"))
    if not guarantees:
        raise ValidationFailed(errors=field_errors(
            guarantees=bilingual("责任区须列出承诺保证的事项", "a responsibility zone needs its guarantees")))
    since = data.get("since") or ctx.today()
    _not_future(since, ctx.today(), "since")
    zone = Zone(org_id=org.id, name=data["name"], kind=data["kind"], guarantees=guarantees, since=since,
                check_every_days=data.get("check_every_days") or rules.DEFAULT_CHECK_EVERY_DAYS,
                created_by=actor(principal))
    zone.holder_links = [ZoneHolder(person_id=pid) for pid in holders]
    session.add(zone)
    session.flush()
    return view(session, zone, ctx.today())


def _zone(session: Session, principal: Principal, zone_id: int) -> Zone:
    zone = fetch(session, Zone, zone_id)
    if zone is None:
        raise NotFound()
    readable_org(session, principal, zone.org_id)
    return zone


def _writable_zone(session: Session, principal: Principal, zone_id: int) -> Zone:
    zone = _zone(session, principal, zone_id)
    administered_body_org(session, principal, zone.org_id)
    return zone


def add_check(ctx: Context, principal: Principal, zone_id: int, data: dict) -> ZoneCheck:
    zone = _writable_zone(ctx.session, principal, zone_id)
    _not_future(data["checked_on"], ctx.today(), "checked_on")
    problems = rules.result_errors(zone.guarantees, data["results"])
    if problems:
        text = {"unknown": bilingual("该责任区没有这项保证", "not a guarantee of this zone"),
                "missing": bilingual("缺少这项保证的检查结果", "a result is required for this guarantee")}
        raise ValidationFailed(errors={f"results.{g}": [text[p]] for g, p in problems.items()})
    check = ZoneCheck(zone_id=zone.id, checked_on=data["checked_on"], results=dict(data["results"]),
                      passed=rules.passed(data["results"]), note=data.get("note"), created_by=actor(principal))
    ctx.session.add(check)
    ctx.session.flush()
    return check


def add_incident(ctx: Context, principal: Principal, zone_id: int, data: dict) -> ZoneIncident:
    zone = _writable_zone(ctx.session, principal, zone_id)
    _not_future(data["occurred_on"], ctx.today(), "occurred_on")
    incident = ZoneIncident(zone_id=zone.id, created_by=actor(principal), **data)
    ctx.session.add(incident)
    ctx.session.flush()
    return incident


def _stats(session: Session, zone_ids: list[int]) -> tuple[dict, dict, dict]:
    """Per zone, in three queries whatever the number of zones: the last incident's day, (checks, passed),
    the last check."""
    if not zone_ids:
        return {}, {}, {}
    incidents = dict(session.execute(select(ZoneIncident.zone_id, func.max(ZoneIncident.occurred_on))
                                     .where(ZoneIncident.zone_id.in_(zone_ids)).group_by(ZoneIncident.zone_id)).all())
    counts = {z: (n, int(p)) for z, n, p in session.execute(
        select(ZoneCheck.zone_id, func.count(), func.coalesce(func.sum(case((ZoneCheck.passed, 1), else_=0)), 0))
        .where(ZoneCheck.zone_id.in_(zone_ids)).group_by(ZoneCheck.zone_id))}
    ranked = (select(ZoneCheck.id, func.row_number().over(
        partition_by=ZoneCheck.zone_id, order_by=(ZoneCheck.checked_on.desc(), ZoneCheck.id.desc())).label("n"))
        .where(ZoneCheck.zone_id.in_(zone_ids)).subquery())
    last = {c.zone_id: c for c in session.scalars(select(ZoneCheck).join(ranked, ranked.c.id == ZoneCheck.id)
                                                  .where(ranked.c.n == 1))}
    return incidents, counts, last


def views(session: Session, zone_list: list[Zone], today) -> list[dict[str, Any]]:
    """Each zone with days without incident, its last check and checks passed / total."""
    incidents, counts, last = _stats(session, [z.id for z in zone_list])
    return [_view(z, incidents.get(z.id), counts.get(z.id, (0, 0)), last.get(z.id), today) for z in zone_list]


def view(session: Session, zone: Zone, today) -> dict[str, Any]:
    return views(session, [zone], today)[0]


def _view(zone: Zone, last_incident, counts: tuple[int, int], last: ZoneCheck | None, today) -> dict[str, Any]:
    out = {c: getattr(zone, c) for c in ("id", "org_id", "name", "kind", "guarantees", "since", "check_every_days",
                                         "holder_ids", "created_at")}
    out["guarantee_labels"] = {g: rules.label(g) for g in zone.guarantees}
    out["days_without_incident"] = rules.days_without_incident(zone.since, [last_incident] if last_incident else [],
                                                               today)
    out.update(last_incident_on=last_incident, checks_total=counts[0], checks_passed=counts[1], last_check=last,
               next_check_due=rules.next_check_due(zone.since, last.checked_on if last else None,
                                                   zone.check_every_days))
    return out


def get_zone(ctx: Context, principal: Principal, zone_id: int) -> dict[str, Any]:
    return view(ctx.session, _zone(ctx.session, principal, zone_id), ctx.today())


def list_zones(ctx: Context, principal: Principal, args: dict) -> dict[str, Any]:
    session = ctx.session
    stmt = scoped(session, principal, select(Zone).join(Org, Org.id == Zone.org_id), args)
    if args.get("kind"):
        stmt = stmt.where(Zone.kind == args["kind"])
    page = paginate(session, stmt.order_by(Zone.id), args["page"], args["page_size"])
    return {**page, "items": views(session, page["items"], ctx.today())}


def list_checks(ctx: Context, principal: Principal, zone_id: int, args: dict) -> dict[str, Any]:
    zone = _zone(ctx.session, principal, zone_id)
    stmt = select(ZoneCheck).where(ZoneCheck.zone_id == zone.id).order_by(ZoneCheck.checked_on.desc(),
                                                                           ZoneCheck.id.desc())
    return paginate(ctx.session, stmt, args["page"], args["page_size"])


def list_incidents(ctx: Context, principal: Principal, zone_id: int, args: dict) -> dict[str, Any]:
    zone = _zone(ctx.session, principal, zone_id)
    stmt = select(ZoneIncident).where(ZoneIncident.zone_id == zone.id).order_by(ZoneIncident.occurred_on.desc(),
                                                                                ZoneIncident.id.desc())
    return paginate(ctx.session, stmt, args["page"], args["page_size"])
