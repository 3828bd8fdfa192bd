"""HTTP endpoints of carriers and pledges (thin: who may call, schema in, one use case, schema out)."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.pledges import actions, carriers, drafts, history, listing, progress, views
from services.pledge.pledges import schemas as s
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

carrier_blp = Blueprint("carriers", __name__, url_prefix="/api/v1/carriers", description="活动载体 — carriers")
blp = Blueprint("pledges", __name__, url_prefix="/api/v1/pledges", description="承诺 — pledges and their lifecycle")
ANYONE = ("admin", "org_admin", "member", "system")
ACTORS = ("admin", "org_admin", "member")


@carrier_blp.route("")
class Carriers(MethodView):
    @carrier_blp.authorize(*ANYONE)
    @carrier_blp.arguments(s.CarrierQueryArgsSchema, location="query")
    @carrier_blp.response(200, page_schema(s.CarrierSchema))
    @carrier_blp.answers(404)
    @carrier_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List carriers (``org_id``: those of the org and of the orgs above it)"""
        return carriers.list_carriers(ctx.session, args)

    @carrier_blp.authorize("admin", "org_admin")
    @carrier_blp.arguments(s.CarrierCreateSchema)
    @carrier_blp.response(201, s.CarrierSchema)
    @carrier_blp.transaction
    def post(self, data, *, principal, ctx):
        """Create a carrier"""
        return carriers.create_carrier(ctx.session, principal, data)


@carrier_blp.route("/<int:carrier_id>")
class CarrierById(MethodView):
    @carrier_blp.authorize(*ANYONE)
    @carrier_blp.response(200, s.CarrierSchema)
    @carrier_blp.answers(404)
    @carrier_blp.transaction(read_only=True)
    def get(self, carrier_id: int, *, principal, ctx):
        """One carrier"""
        return carriers.get_carrier(ctx.session, carrier_id)


@carrier_blp.route("/<int:carrier_id>/exemplars")
class CarrierExemplars(MethodView):
    @carrier_blp.authorize(*ANYONE)
    @carrier_blp.arguments(s.ExemplarQueryArgsSchema, location="query")
    @carrier_blp.response(200, page_schema(s.PledgeSchema))
    @carrier_blp.answers(404)
    @carrier_blp.transaction(read_only=True)
    def get(self, args, carrier_id: int, *, principal, ctx):
        """样板: exemplar pledges of a carrier"""
        return carriers.exemplars(ctx, principal, carrier_id, args)


@blp.route("")
class Pledges(MethodView):
    @blp.authorize(*ANYONE)
    @blp.arguments(s.PledgeQueryArgsSchema, location="query")
    @blp.response(200, page_schema(s.PledgeSchema))
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List pledges the caller may see"""
        return listing.list_pledges(ctx, principal, args)

    @blp.authorize(*ACTORS)
    @blp.arguments(s.PledgeCreateSchema)
    @blp.response(201, s.PledgeSchema)
    @blp.transaction
    def post(self, data, *, principal, ctx):
        """Draft a pledge (by an org or a person)"""
        return drafts.draft(ctx, principal, data)


@blp.route("/<int:pledge_id>")
class PledgeById(MethodView):
    @blp.authorize(*ANYONE)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, pledge_id: int, *, principal, ctx):
        """One pledge"""
        return views.read_pledge(ctx, principal, pledge_id)

    @blp.authorize(*ACTORS)
    @blp.arguments(s.PledgeFieldsSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def patch(self, data, pledge_id: int, *, principal, ctx):
        """Edit a pledge (draft or returned only)"""
        return actions.take(ctx, principal, pledge_id, "edit", data)


@blp.route("/<int:pledge_id>/submit")
class PledgeSubmit(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.TransitionCommentSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Submit for review (审诺)"""
        return actions.take(ctx, principal, pledge_id, "submit", data)


@blp.route("/<int:pledge_id>/review")
class PledgeReview(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.ReviewSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Approve or return a submitted pledge"""
        return actions.review(ctx, principal, pledge_id, data)


@blp.route("/<int:pledge_id>/publish")
class PledgePublish(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.PublishSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Publish an approved pledge (亮诺)"""
        return actions.take(ctx, principal, pledge_id, "publish", data)


@blp.route("/<int:pledge_id>/revise")
class PledgeRevise(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.ReviseSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Look-back revision (回头看): a new version, back to review"""
        return actions.take(ctx, principal, pledge_id, "revise", data)


@blp.route("/<int:pledge_id>/close")
class PledgeClose(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.CloseSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Close after evaluation: fulfilled, partly or unfulfilled"""
        return actions.take(ctx, principal, pledge_id, "close", data)


@blp.route("/<int:pledge_id>/withdraw")
class PledgeWithdraw(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.WithdrawSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Withdraw with a reason"""
        return actions.take(ctx, principal, pledge_id, "withdraw", data)


@blp.route("/<int:pledge_id>/exemplar")
class PledgeExemplar(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.ExemplarSchema)
    @blp.response(200, s.PledgeSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Mark a published pledge as an exemplar (样板)"""
        return actions.take(ctx, principal, pledge_id, "exemplar", data)


@blp.route("/<int:pledge_id>/progress")
class PledgeProgress(MethodView):
    @blp.authorize(*ACTORS)
    @blp.arguments(s.ProgressCreateSchema)
    @blp.response(201, s.ProgressSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, pledge_id: int, *, principal, ctx):
        """Report progress (践诺): values per target and evidence"""
        return progress.report_progress(ctx, principal, pledge_id, data)


@blp.route("/<int:pledge_id>/history")
class PledgeHistory(MethodView):
    @blp.authorize(*ANYONE)
    @blp.response(200, s.HistorySchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, pledge_id: int, *, principal, ctx):
        """Every version, every transition (who, when, why), what changed, every progress report"""
        return history.history(ctx.session, principal, pledge_id)


BLUEPRINTS = (carrier_blp, blp)
