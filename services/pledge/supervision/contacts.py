"""Use cases of contact points (联系点): a leader's link to a grassroots org, its visit log, the counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org, Person
from services.pledge.supervision.access import administered_body_org, readable, readable_org, requested_orgs
from services.pledge.supervision.domain import rules
from services.pledge.supervision.domain.rules import actor, not_after_today
from services.pledge.supervision.models import ContactPoint, ContactVisit
from services.pledge.supervision.rows import insert_once, person_for_field
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Conflict, Forbidden, NotFound
from shared.pagination import paginate
from shared.principal import Principal, require_org


def _visible(session: Session, principal: Principal) -> ColumnElement[bool]:
    """Contact points of orgs the caller may read, and the caller's own as a leader."""
    try:
        in_scope = readable(session, principal)
    except Forbidden:
        if principal.person_id is None:
            raise
        in_scope = false()  # a leader with no directory entry still sees their own contact points
    if principal.person_id is not None:
        return or_(in_scope, ContactPoint.leader_id == principal.person_id)
    return in_scope


def _visits_summary(visited_from: date | None = None, visited_to: date | None = None):
    cond = []
    if visited_from:
        cond.append(ContactVisit.visited_on >= visited_from)
    if visited_to:
        cond.append(ContactVisit.visited_on <= visited_to)
    return (select(ContactVisit.contact_point_id, func.count().label("visits"),
                   func.max(ContactVisit.visited_on).label("last_visited_on"))
            .where(*cond).group_by(ContactVisit.contact_point_id).subquery())


def _with_names() -> Select:
    visits = _visits_summary()
    return (select(ContactPoint, Person.name.label("leader_name"), Org.name.label("org_name"),
                   func.coalesce(visits.c.visits, 0).label("visits"), visits.c.last_visited_on)
            .join(Org, Org.id == ContactPoint.org_id)
            .join(Person, Person.id == ContactPoint.leader_id)
            .outerjoin(visits, visits.c.contact_point_id == ContactPoint.id))


def _view(row: Any) -> dict[str, Any]:
    point: ContactPoint = row["ContactPoint"]
    view = {c: getattr(point, c) for c in ("id", "leader_id", "org_id", "since", "note", "created_at")}
    view.update(leader_name=row["leader_name"], org_name=row["org_name"], visits=row["visits"],
                last_visited_on=row["last_visited_on"])
    return view


def create_contact_point(session: Session, principal: Principal, data: dict) -> dict[str, Any]:
    administered_body_org(session, principal, data["org_id"])
    person_for_field(session, data["leader_id"], "leader_id")
    point = ContactPoint(created_by=actor(principal), **data)
    insert_once(session, point, Conflict("contact_point_exists"))
    return get_contact_point(session, principal, point.id)


def _point(session: Session, principal: Principal, point_id: int) -> ContactPoint:
    point = fetch(session, ContactPoint, point_id)
    if point is None:
        raise NotFound()
    if principal.person_id is None or principal.person_id != point.leader_id:
        readable_org(session, principal, point.org_id)
    return point


def get_contact_point(session: Session, principal: Principal, point_id: int) -> dict[str, Any]:
    point = _point(session, principal, point_id)
    row = session.execute(_with_names().where(ContactPoint.id == point.id)).mappings().one()
    return _view(row)


def list_contact_points(session: Session, principal: Principal, args: dict) -> dict:
    stmt = _with_names().where(_visible(session, principal), requested_orgs(session, principal, args))
    if args.get("leader_id") is not None:
        stmt = stmt.where(ContactPoint.leader_id == args["leader_id"])
    stmt = stmt.order_by(ContactPoint.leader_id, ContactPoint.org_id)
    page = paginate(session, stmt, args["page"], args["page_size"], scalars=False)
    page["items"] = [_view(row) for row in page["items"]]
    return page


# ---- visits ----------------------------------------------------------------------------------
def log_visit(ctx: Context, principal: Principal, point_id: int, data: dict) -> ContactVisit:
    """The leader themself, or whoever administers the linked org, logs a visit."""
    session = ctx.session
    point = _point(session, principal, point_id)
    if principal.person_id is None or principal.person_id != point.leader_id:
        require_org(principal, path_ids(session.get(Org, point.org_id).path))
    not_after_today(data["visited_on"], ctx.today(), "visited_on")
    visit = ContactVisit(contact_point_id=point.id, created_by=actor(principal), **data)
    session.add(visit)
    session.flush()
    return visit


def list_visits(session: Session, principal: Principal, point_id: int, args: dict) -> dict:
    point = _point(session, principal, point_id)
    stmt = select(ContactVisit).where(ContactVisit.contact_point_id == point.id)
    if args.get("visited_from"):
        stmt = stmt.where(ContactVisit.visited_on >= args["visited_from"])
    if args.get("visited_to"):
        stmt = stmt.where(ContactVisit.visited_on <= args["visited_to"])
    stmt = stmt.order_by(ContactVisit.visited_on.desc(), ContactVisit.id.desc())
    return paginate(session, stmt, args["page"], args["page_size"])


# ---- counts per leader, per org, per unit ----------------------------------------------------
def contact_counts(session: Session, principal: Principal, args: dict) -> dict:
    """How many contact points and visits, grouped by leader, by linked org, or by unit (二级单位)."""
    visits = _visits_summary(args.get("visited_from"), args.get("visited_to"))
    key = ContactPoint.leader_id if args["group_by"] == "leader" else ContactPoint.org_id
    stmt = (select(key.label("key"), func.count(ContactPoint.id).label("contact_points"),
                   func.coalesce(func.sum(visits.c.visits), 0).label("visits"))
            .join(Org, Org.id == ContactPoint.org_id)
            .outerjoin(visits, visits.c.contact_point_id == ContactPoint.id)
            .where(_visible(session, principal), requested_orgs(session, principal, args)).group_by(key))
    rows = [(r.key, r.contact_points, int(r.visits)) for r in session.execute(stmt)]
    if args["group_by"] == "unit":
        rows = _roll_up_to_units(session, rows)
    names = _names(session, args["group_by"], [r[0] for r in rows])
    items = [{"group_by": args["group_by"], "id": k, "name": names.get(k, ""), "contact_points": n, "visits": v}
             for k, n, v in rows]
    items.sort(key=lambda i: (-i["visits"], -i["contact_points"], i["id"]))
    start = (args["page"] - 1) * args["page_size"]
    return {"items": items[start:start + args["page_size"]], "total": len(items), "page": args["page"],
            "page_size": args["page_size"]}


def _roll_up_to_units(session: Session, rows: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    paths = dict(session.execute(select(Org.id, Org.path).where(Org.id.in_([r[0] for r in rows]))).all())
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, points, visits in rows:
        ids = path_ids(paths[org_id])
        unit = rules.unit_of(ids) or ids[0]
        totals[unit][0] += points
        totals[unit][1] += visits
    return [(unit, points, visits) for unit, (points, visits) in totals.items()]


def _names(session: Session, group_by: str, ids: list[int]) -> dict[int, str]:
    model = Person if group_by == "leader" else Org
    return dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}
