"""Use cases of 一助一 pairs: a party member mentors a colleague in a skill, from a date until a date."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain.service import active_on, ends_before_start
from services.pledge.daily_work.models import Mentorship
from services.pledge.directory.models import Org, Person
from services.pledge.supervision.access import administered_body_org, scoped
from services.pledge.supervision.domain.rules import actor
from services.pledge.supervision.rows import person_for_field
from shared.context import Context
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal


def _checked(session: Session, data: dict) -> Person:
    """The mentor (a party member); the mentee another active person; ``until`` not before ``since``."""
    mentor = person_for_field(session, data["mentor_id"], "mentor_id")
    mentee = person_for_field(session, data["mentee_id"], "mentee_id")
    errors: dict[str, list[str]] = {}
    if not mentor.active or not mentor.party_member:
        errors["mentor_id"] = [bilingual("带徒人须是在册党员", "the mentor must be an active party member")]
    if not mentee.active:
        errors["mentee_id"] = [bilingual("人员已不在册", "no longer an active person")]
    elif mentee.id == mentor.id:
        errors["mentee_id"] = [bilingual("师徒不能是同一人", "mentor and mentee must be two people")]
    if ends_before_start(data["since"], data.get("until")):
        errors["until"] = [bilingual("结束日期不能早于开始日期", "cannot be before since")]
    if errors:
        raise ValidationFailed(errors=errors)
    return mentor


def views(session: Session, pairs: list[Mentorship], today) -> list[dict[str, Any]]:
    """Each pair with both names (one query for the lot) and whether it runs ``today``."""
    ids = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()) if ids else {}
    return [{**{c.key: getattr(p, c.key) for c in Mentorship.__table__.columns},
             "mentor_name": names.get(p.mentor_id), "mentee_name": names.get(p.mentee_id),
             "active": active_on(p.since, p.until, today)} for p in pairs]


def pair(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    session = ctx.session
    mentor = _checked(session, data)
    administered_body_org(session, principal, mentor.org_id)
    mentorship = Mentorship(org_id=mentor.org_id, created_by=actor(principal), **data)
    session.add(mentorship)
    session.flush()
    return views(session, [mentorship], ctx.today())[0]


def list_pairs(ctx: Context, principal: Principal, args: dict) -> dict[str, Any]:
    session, today = ctx.session, ctx.today()
    stmt = scoped(session, principal, select(Mentorship).join(Org, Org.id == Mentorship.org_id), args)
    if args.get("person_id") is not None:
        stmt = stmt.where(or_(Mentorship.mentor_id == args["person_id"], Mentorship.mentee_id == args["person_id"]))
    on = (Mentorship.since <= today) & or_(Mentorship.until.is_(None), Mentorship.until >= today)
    if args.get("active") is not None:
        stmt = stmt.where(on if args["active"] else ~on)
    page = paginate(session, stmt.order_by(Mentorship.since.desc(), Mentorship.id.desc()), args["page"],
                    args["page_size"])
    return {**page, "items": views(session, page["items"], today)}


