"""``GET /api/v1/orgs/{id}/coverage``: 没有空白点, every gap in an org's subtree."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.coverage import report
from services.pledge.coverage.schemas import CoverageQueryArgsSchema, CoverageSchema
from shared.web.blueprint import Blueprint

blp = Blueprint("coverage", __name__, url_prefix="/api/v1/orgs", description="没有空白点 — coverage gaps")


@blp.route("/<int:org_id>/coverage")
class Coverage(MethodView):
    @blp.authorize("admin", "org_admin", "member", "system")
    @blp.arguments(CoverageQueryArgsSchema, location="query")
    @blp.response(200, CoverageSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, org_id: int, *, principal, ctx):
        """The gaps of an org's subtree as of a day: totals per kind and a page of them (?as_of=&kind=)"""
        return report.coverage(ctx, principal, org_id, args)


BLUEPRINTS = (blp,)
