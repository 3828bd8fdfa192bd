"""Carriers (活动载体): the overall one (钢铁先锋) and specific ones per org and period, with themes;
the exemplar pledges (样板) under a carrier."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch, get_org, in_subtree
from services.pledge.directory.models import Org
from services.pledge.pledges.domain.carriers import period_end
from services.pledge.pledges.models import Carrier, Pledge
from services.pledge.pledges.views import page_of_views
from shared.context import Context
from shared.directory import path_ids
from shared.errors import NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal, require_org


def create_carrier(session: Session, principal: Principal, data: dict) -> Carrier:
    org = fetch(session, Org, data["org_id"])
    if org is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
    require_org(principal, path_ids(org.path))
    if data.get("parent_id") is not None and fetch(session, Carrier, data["parent_id"]) is None:
        raise ValidationFailed(errors=field_errors(parent_id=bilingual("上级载体不存在", "no such parent carrier")))
    carrier = Carrier(**data, period_end=period_end(data["period_kind"], data["period_start"]))
    session.add(carrier)
    session.flush()
    return carrier


def get_carrier(session: Session, carrier_id: int) -> Carrier:
    carrier = fetch(session, Carrier, carrier_id)
    if carrier is None:
        raise NotFound()
    return carrier


def list_carriers(session: Session, args: dict) -> dict:
    stmt = select(Carrier).order_by(Carrier.period_start.desc(), Carrier.id)
    if "org_id" in args:
        org = get_org(session, args["org_id"])
        stmt = stmt.where(Carrier.org_id.in_(path_ids(org.path)))  # the org's own and those above it
    if "period_kind" in args:
        stmt = stmt.where(Carrier.period_kind == args["period_kind"])
    if "active_on" in args:
        stmt = stmt.where(Carrier.period_start <= args["active_on"], Carrier.period_end >= args["active_on"])
    return paginate(session, stmt, args["page"], args["page_size"])


def exemplars(ctx: Context, principal: Principal, carrier_id: int, args: dict) -> dict:
    """样板: published pledges marked as models under this carrier (and the carriers below it), as the caller
    sees them."""
    session = ctx.session
    carrier = get_carrier(session, carrier_id)
    ids = [carrier.id, *session.scalars(select(Carrier.id).where(Carrier.parent_id == carrier.id))]
    stmt = select(Pledge).where(Pledge.carrier_id.in_(ids), Pledge.exemplar.is_(True), Pledge.on_ledger.is_(True))
    if "org_id" in args:
        stmt = stmt.where(in_subtree(Pledge.org_path, get_org(session, args["org_id"]).path))
    page = paginate(session, stmt.order_by(Pledge.id), args["page"], args["page_size"])
    return page_of_views(ctx, principal, page)
