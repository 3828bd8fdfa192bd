"""Inspections (检查调研) of an org's campaign work, routine or unannounced (调研未事先通知), with the pledges
they looked at."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org
from services.pledge.pledges.models import Pledge
from services.pledge.supervision.access import administered_body_org, readable_org, scoped
from services.pledge.supervision.domain.rules import actor, not_after_today
from services.pledge.supervision.models import Inspection, InspectionPledgeLink
from services.pledge.supervision.rows import person_for_field
from shared.context import Context
from shared.errors import NotFound, ValidationFailed
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal


def _linked_pledges(session: Session, org: Org, pledge_ids: list[int]) -> list[int]:
    """The distinct pledge ids, each an existing pledge of the inspected org's subtree; else 422 per index."""
    wanted = sorted(set(pledge_ids))
    if not wanted:
        return []
    found = dict(session.execute(select(Pledge.id, Pledge.org_path).where(Pledge.id.in_(wanted))).all())
    message = bilingual("承诺不存在或不属于被检查组织", "unknown, or not a pledge of the inspected org")
    bad = {f"pledge_ids.{i}": [message] for i, pid in enumerate(pledge_ids)
           if pid not in found or not found[pid].startswith(org.path)}
    if bad:
        raise ValidationFailed(errors=bad)
    return wanted


def create_inspection(ctx: Context, principal: Principal, data: dict) -> Inspection:
    session = ctx.session
    org = administered_body_org(session, principal, data["org_id"])
    person_for_field(session, data["inspector_id"], "inspector_id")
    not_after_today(data["visited_on"], ctx.today(), "visited_on")
    pledge_ids = _linked_pledges(session, org, data.pop("pledge_ids", []))
    inspection = Inspection(**data, created_by=actor(principal))
    inspection.pledge_links = [InspectionPledgeLink(pledge_id=pid) for pid in pledge_ids]
    session.add(inspection)
    session.flush()
    return inspection


def get_inspection(session: Session, principal: Principal, inspection_id: int) -> Inspection:
    inspection = fetch(session, Inspection, inspection_id)
    if inspection is None:
        raise NotFound()
    readable_org(session, principal, inspection.org_id)
    return inspection


def list_inspections(session: Session, principal: Principal, args: dict) -> dict:
    stmt = scoped(session, principal, select(Inspection).join(Org, Org.id == Inspection.org_id), args)
    if args.get("kind"):
        stmt = stmt.where(Inspection.kind == args["kind"])
    if args.get("visited_from"):
        stmt = stmt.where(Inspection.visited_on >= args["visited_from"])
    if args.get("visited_to"):
        stmt = stmt.where(Inspection.visited_on <= args["visited_to"])
    if args.get("pledge_id") is not None:
        linked = select(InspectionPledgeLink.inspection_id).where(InspectionPledgeLink.pledge_id == args["pledge_id"])
        stmt = stmt.where(Inspection.id.in_(linked))
    stmt = stmt.order_by(Inspection.visited_on.desc(), Inspection.id.desc())
    return paginate(session, stmt, args["page"], args["page_size"])
