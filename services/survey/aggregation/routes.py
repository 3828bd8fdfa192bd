"""``POST /api/v1/rounds/<id>/aggregate``: compute a round's results again (nested under ``rounds``)."""

from __future__ import annotations

from flask.views import MethodView

from services.survey.aggregation import rerun
from services.survey.rounds.schemas import RoundSchema
from shared.web.blueprint import Blueprint

blp = Blueprint("aggregation", __name__, description="聚合 — the results computed again from the same answers")


@blp.route("/<int:round_id>/aggregate")
class AggregateRound(MethodView):
    @blp.authorize("org_admin")
    @blp.response(202, RoundSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, round_id: int, *, principal, ctx):
        """Compute the results again (same answers, same results)"""
        return rerun.request_aggregation(ctx, principal, round_id)
