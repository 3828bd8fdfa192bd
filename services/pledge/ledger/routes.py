"""``GET /api/v1/orgs/{id}/ledger``: the 承诺台账 as JSON (paginated) or as a printable XLSX."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask.views import MethodView

from services.pledge.ledger import queries
from services.pledge.ledger.schemas import LedgerPageSchema, LedgerQueryArgsSchema
from shared.web.blueprint import Blueprint

blp = Blueprint("ledger", __name__, url_prefix="/api/v1/orgs", description="承诺台账 — the pledge ledger")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/<int:org_id>/ledger")
class Ledger(MethodView):
    @blp.authorize("admin", "org_admin", "member", "system")
    @blp.arguments(LedgerQueryArgsSchema, location="query")
    @blp.response(200, LedgerPageSchema)
    @blp.alt_response(200, content_type=XLSX, description="with ?format=xlsx: the ledger for printing", success=True)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, org_id: int, *, principal, ctx):
        """The ledger of an org and its subtree: pledges published to ``intranet``, with progress (``?format=xlsx``)"""
        if args["format"] == "xlsx":
            return xlsx_response(*queries.ledger_xlsx(ctx, org_id, args))
        return queries.ledger(ctx, org_id, args)


@blp.route("/<int:org_id>/meeting-list")
class MeetingList(MethodView):
    @blp.authorize("admin", "org_admin", "member", "system")
    @blp.arguments(LedgerQueryArgsSchema, location="query")
    @blp.response(200, LedgerPageSchema)
    @blp.alt_response(200, content_type=XLSX, description="with ?format=xlsx: the list for the meeting", success=True)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, org_id: int, *, principal, ctx):
        """承诺大会: the pledges of an org and its subtree published to ``meeting`` (``?format=xlsx``)"""
        if args["format"] == "xlsx":
            return xlsx_response(*queries.ledger_xlsx(ctx, org_id, args, channel="meeting"))
        return queries.meeting_list(ctx, org_id, args)


def xlsx_response(filename: str, body: bytes) -> Response:
    return Response(body, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


BLUEPRINTS = (blp,)
