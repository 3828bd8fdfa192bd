"""``GET /api/v1/orgs/{id}/coverage``: the totals per gap kind and one page of the gaps (kind after kind)."""

from __future__ import annotations

from typing import Any

from services.pledge.coverage import finding
from services.pledge.coverage.domain.gaps import KINDS, Window, slices
from services.pledge.supervision.access import readable_org
from shared.context import Context
from shared.principal import Principal


def coverage(ctx: Context, principal: Principal, org_id: int, args: dict) -> dict[str, Any]:
    org = readable_org(ctx.session, principal, org_id)
    as_of = args.get("as_of") or ctx.today()
    finder = finding.Finder(org.path, Window(as_of), ctx.settings.zone)
    kinds = {k: finding.Kind(ctx.session, finder, k) for k in ([args["kind"]] if args.get("kind") else KINDS)}
    totals = {k: kinds[k].total if k in kinds else 0 for k in KINDS}
    page, size = args["page"], args["page_size"]
    gaps = [row for kind, offset, limit in slices(totals, (page - 1) * size, size)
            for row in kinds[kind].rows(offset, limit)]
    return {"org_id": org.id, "as_of": as_of, "totals": totals, "gaps": gaps, "total": sum(totals.values()),
            "page": page, "page_size": size}
