"""``GET /api/v1/orgs/{id}/ledger``: the 承诺台账 as JSON (paginated) or as a printable XLSX."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.pledge.app import service
from services.pledge.directory.orgs import get_org
from services.pledge.ledger import queries as uc
from services.pledge.ledger.xlsx import ledger_workbook
from services.pledge.pledges.schemas import LedgerPageSchema, LedgerQueryArgsSchema
from shared.auth import require

ledger = Blueprint("ledger", __name__, url_prefix="/api/v1/orgs", description="承诺台账 — the pledge ledger")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@ledger.route("/<int:org_id>/ledger")
class Ledger(MethodView):
    @ledger.arguments(LedgerQueryArgsSchema, location="query")
    @ledger.response(200, LedgerPageSchema)
    @ledger.alt_response(200, content_type=XLSX, description="with ?format=xlsx: the ledger for printing",
                         success=True)
    def get(self, args, org_id: int):
        """The ledger of an org and its subtree: published pledges with progress (``?format=xlsx``)"""
        require("admin", "org_admin", "member", "system")
        with service.db.session() as s:
            if args["format"] == "xlsx":
                return _xlsx(s, org_id, args)
            return uc.ledger_page(s, org_id, args)


def _xlsx(session, org_id: int, args: dict) -> Response:
    today = date.today()
    org = get_org(session, org_id)
    body = ledger_workbook(org.name, uc.period_label(session, args, today), uc.ledger_rows(session, org, args, today),
                           today)
    filename = quote(f"{org.name}承诺台账-{today.isoformat()}.xlsx")
    return Response(body, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})
