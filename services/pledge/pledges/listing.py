"""The pledges a caller may see, filtered (org and subtree, state, pledger, carrier, exemplar, due before)."""

from __future__ import annotations

from sqlalchemy import select

from services.pledge.directory.lookups import get_org, in_subtree
from services.pledge.pledges.models import Pledge
from services.pledge.pledges.views import page_of_views
from services.pledge.pledges.visibility import visible
from shared.context import Context
from shared.pagination import paginate
from shared.principal import Principal


def list_pledges(ctx: Context, principal: Principal, args: dict) -> dict:
    session = ctx.session
    stmt = select(Pledge).order_by(Pledge.id)
    if "org_id" in args:
        org = get_org(session, args["org_id"])
        stmt = stmt.where(in_subtree(Pledge.org_path, org.path) if args.get("subtree") else Pledge.org_id == org.id)
    stmt = stmt.where(visible(session, principal))
    for name in ("state", "pledger_type", "pledger_id", "carrier_id"):
        if name in args:
            stmt = stmt.where(getattr(Pledge, name) == args[name])
    if "exemplar" in args:
        stmt = stmt.where(Pledge.exemplar.is_(args["exemplar"]))
    if "due_before" in args:
        stmt = stmt.where(Pledge.due_on < args["due_before"])
    return page_of_views(ctx, principal, paginate(session, stmt, args["page"], args["page_size"]))
