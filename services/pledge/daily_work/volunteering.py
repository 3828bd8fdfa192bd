"""Use cases of volunteer service (志愿服务, 进社区): activities with hours and participants, and the year's
person-hours per person, org or subtree."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain.service import person_hours
from services.pledge.daily_work.holders import holders_of_org
from services.pledge.daily_work.models import VolunteerActivity, VolunteerParticipant
from services.pledge.directory.models import Org
from services.pledge.supervision.access import administered_body_org, scoped
from services.pledge.supervision.domain.rules import actor
from shared.context import Context
from shared.errors import ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal

FIELDS = ("id", "org_id", "title", "kind", "on", "hours", "person_ids", "created_by", "created_at")


def view(activity: VolunteerActivity) -> dict[str, Any]:
    out = {f: getattr(activity, f) for f in FIELDS}
    out["person_hours"] = person_hours([(activity.hours, activity.person_ids)])[0]
    return out


def record_activity(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    session = ctx.session
    org = administered_body_org(session, principal, data["org_id"])
    if data["on"] > ctx.today():
        raise ValidationFailed(errors=field_errors(on=bilingual("日期不能晚于今天", "cannot be in the future")))
    people = holders_of_org(session, org, data.pop("person_ids"), "person_ids")
    activity = VolunteerActivity(created_by=actor(principal), **data)
    activity.participant_links = [VolunteerParticipant(person_id=pid) for pid in people]
    session.add(activity)
    session.flush()
    return view(activity)


def in_year(year: int):
    """Activities of a calendar year, as a range on the indexed day."""
    return VolunteerActivity.on.between(date(year, 1, 1), date(year, 12, 31))


def _filtered(session: Session, principal: Principal, args: dict) -> Select:
    stmt = scoped(session, principal, select(VolunteerActivity).join(Org, Org.id == VolunteerActivity.org_id), args)
    if args.get("year") is not None:
        stmt = stmt.where(in_year(args["year"]))
    if args.get("kind"):
        stmt = stmt.where(VolunteerActivity.kind == args["kind"])
    if args.get("person_id") is not None:
        joined = select(VolunteerParticipant.activity_id).where(VolunteerParticipant.person_id == args["person_id"])
        stmt = stmt.where(VolunteerActivity.id.in_(joined))
    return stmt


def totals(session: Session, stmt: Select, person_id: int | None) -> dict[str, Any]:
    """Person-hours and distinct people over every activity the filters select (not just this page)."""
    ids = stmt.with_only_columns(VolunteerActivity.id).order_by(None).subquery()
    rows = session.execute(select(VolunteerActivity.id, VolunteerActivity.hours, VolunteerParticipant.person_id)
                           .join(VolunteerParticipant, VolunteerParticipant.activity_id == VolunteerActivity.id)
                           .where(VolunteerActivity.id.in_(select(ids.c.id)))).all()
    by_activity: dict[int, tuple[float, list[int]]] = {}
    for aid, hours, pid in rows:
        by_activity.setdefault(aid, (hours, []))[1].append(pid)
    hours, people = person_hours(by_activity.values(), person_id)
    return {"hours": hours, "people": people, "activities": len(by_activity)}


def list_activities(ctx: Context, principal: Principal, args: dict) -> dict[str, Any]:
    session = ctx.session
    stmt = _filtered(session, principal, args)
    page = paginate(session, stmt.order_by(VolunteerActivity.on.desc(), VolunteerActivity.id.desc()),
                    args["page"], args["page_size"])
    return {**page, "items": [view(a) for a in page["items"]], "totals": totals(session, stmt, args.get("person_id"))}
