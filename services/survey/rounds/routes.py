"""HTTP endpoints of rounds: create, read, open, close, progress.

The round's results and its re-aggregation are declared in their contexts and nested under this
blueprint by the wiring (``services.survey.app``): one ``rounds`` tag, one ``/api/v1/rounds`` prefix.
"""

from __future__ import annotations

from flask.views import MethodView

from services.survey.rounds import actions, progress, reading
from services.survey.rounds.schemas import ProgressSchema, RoundCreateSchema, RoundQueryArgsSchema, RoundSchema
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds",
                description="测评轮次 — 三测评 and 评诺 rounds, progress and results")


@blp.route("")
class Rounds(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.arguments(RoundQueryArgsSchema, location="query")
    @blp.response(200, page_schema(RoundSchema))
    @blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """Rounds the caller may read (?state=&kind=&root_org_id=), newest first"""
        return reading.list_rounds(ctx.session, principal, args)

    @blp.authorize("org_admin")
    @blp.arguments(RoundCreateSchema)
    @blp.response(201, RoundSchema)
    @blp.transaction
    def post(self, data, *, principal, ctx):
        """Create a round (draft)"""
        return actions.create_round(ctx, principal, data)


@blp.route("/<int:round_id>")
class RoundById(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.response(200, RoundSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, round_id: int, *, principal, ctx):
        """One round"""
        return reading.read_round(ctx.session, principal, round_id)


@blp.route("/<int:round_id>/open")
class OpenRound(MethodView):
    @blp.authorize("org_admin")
    @blp.response(200, RoundSchema, description="open: every ballot issued, every invitation queued")
    @blp.alt_response(202, schema=RoundSchema, success=True,
                      description="a large round: opening, its ballots issued by the workers (then open)")
    @blp.answers(404, 409, 422)
    @blp.transaction
    def post(self, round_id: int, *, principal, ctx):
        """Open a round: issue the ballots and invite every holder (a large round: by the workers)"""
        opened = actions.open_round(ctx, principal, round_id)
        return opened, 202 if opened["state"] == "opening" else 200


@blp.route("/<int:round_id>/close")
class CloseRound(MethodView):
    @blp.authorize("org_admin")
    @blp.response(200, RoundSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, round_id: int, *, principal, ctx):
        """Close a round; its aggregation is queued"""
        return actions.close_round(ctx, principal, round_id)


@blp.route("/<int:round_id>/progress")
class Progress(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.response(200, ProgressSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, round_id: int, *, principal, ctx):
        """Ballots issued and used, per org"""
        return progress.progress(ctx.session, principal, round_id)
