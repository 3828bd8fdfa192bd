"""HTTP endpoints of carriers and pledges (thin: schema in, one use case, schema out)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.pledge.app import service
from services.pledge.pledges import actions as pledge_actions
from services.pledge.pledges import carriers as carrier_uc
from services.pledge.pledges import drafts as pledges
from services.pledge.pledges import history as history_uc
from services.pledge.pledges.schemas import (
    CarrierCreateSchema,
    CarrierQueryArgsSchema,
    CarrierSchema,
    CloseSchema,
    ExemplarQueryArgsSchema,
    ExemplarSchema,
    HistorySchema,
    PledgeCreateSchema,
    PledgeFieldsSchema,
    PledgeQueryArgsSchema,
    PledgeSchema,
    ProgressCreateSchema,
    ProgressSchema,
    PublishSchema,
    ReviewSchema,
    ReviseSchema,
    TransitionCommentSchema,
    WithdrawSchema,
)
from shared.auth import require
from shared.pagination import page_schema

carriers = Blueprint("carriers", __name__, url_prefix="/api/v1/carriers", description="活动载体 — carriers")
blp = Blueprint("pledges", __name__, url_prefix="/api/v1/pledges", description="承诺 — pledges and their lifecycle")
ANYONE = ("admin", "org_admin", "member", "system")
ACTORS = ("admin", "org_admin", "member")


def _views(session, principal, page: dict) -> dict:
    return {**page, "items": [pledges.view_for(session, principal, p) for p in page["items"]]}


@carriers.route("")
class Carriers(MethodView):
    @carriers.arguments(CarrierQueryArgsSchema, location="query")
    @carriers.response(200, page_schema(CarrierSchema))
    def get(self, args):
        """List carriers (``org_id``: those of the org and of the orgs above it)"""
        require(*ANYONE)
        with service.db.session() as s:
            return carrier_uc.list_carriers(s, args)

    @carriers.arguments(CarrierCreateSchema)
    @carriers.response(201, CarrierSchema)
    def post(self, data):
        """Create a carrier"""
        principal = require("admin", "org_admin")
        with service.db.session() as s:
            return carrier_uc.create_carrier(s, principal, data)


@carriers.route("/<int:carrier_id>")
class CarrierById(MethodView):
    @carriers.response(200, CarrierSchema)
    def get(self, carrier_id: int):
        """One carrier"""
        require(*ANYONE)
        with service.db.session() as s:
            return carrier_uc.get_carrier(s, carrier_id)


@carriers.route("/<int:carrier_id>/exemplars")
class CarrierExemplars(MethodView):
    @carriers.arguments(ExemplarQueryArgsSchema, location="query")
    @carriers.response(200, page_schema(PledgeSchema))
    def get(self, args, carrier_id: int):
        """样板: exemplar pledges of a carrier"""
        principal = require(*ANYONE)
        with service.db.session() as s:
            return _views(s, principal, carrier_uc.exemplars(s, carrier_id, args))


@blp.route("")
class Pledges(MethodView):
    @blp.arguments(PledgeQueryArgsSchema, location="query")
    @blp.response(200, page_schema(PledgeSchema))
    def get(self, args):
        """List pledges the caller may see"""
        principal = require(*ANYONE)
        with service.db.session() as s:
            return _views(s, principal, pledges.list_pledges(s, principal, args))

    @blp.arguments(PledgeCreateSchema)
    @blp.response(201, PledgeSchema)
    def post(self, data):
        """Draft a pledge (by an org or a person)"""
        principal = require(*ACTORS)
        with service.db.session() as s:
            return pledges.view(pledges.create(s, principal, data))


@blp.route("/<int:pledge_id>")
class PledgeById(MethodView):
    @blp.response(200, PledgeSchema)
    def get(self, pledge_id: int):
        """One pledge"""
        principal = require(*ANYONE)
        with service.db.session() as s:
            return pledges.view_for(s, principal, pledges.load(s, principal, pledge_id))

    @blp.arguments(PledgeFieldsSchema)
    @blp.response(200, PledgeSchema)
    def patch(self, data, pledge_id: int):
        """Edit a pledge (draft or returned only)"""
        principal = require(*ACTORS)
        with service.db.session() as s:
            return pledges.view(pledge_actions.act(s, principal, pledge_id, "edit", data))


def _action_route(action: str, schema, summary: str) -> None:
    def post(self, data, pledge_id: int):
        principal = require(*ACTORS)
        with service.db.session() as s:
            if action == "review":
                return pledges.view(pledge_actions.review(s, principal, pledge_id, data))
            return pledges.view(pledge_actions.act(s, principal, pledge_id, action, data))

    post.__doc__ = summary
    view = type(f"Pledge{action.title()}", (MethodView,), {
        "post": blp.arguments(schema)(blp.response(200, PledgeSchema)(post)),
    })
    blp.route(f"/<int:pledge_id>/{action}")(view)


for _action, _schema, _summary in (
    ("submit", TransitionCommentSchema, "Submit for review (审诺)"),
    ("review", ReviewSchema, "Approve or return a submitted pledge"),
    ("publish", PublishSchema, "Publish an approved pledge (亮诺)"),
    ("revise", ReviseSchema, "Look-back revision (回头看): a new version, back to review"),
    ("close", CloseSchema, "Close after evaluation: fulfilled, partly or unfulfilled"),
    ("withdraw", WithdrawSchema, "Withdraw with a reason"),
    ("exemplar", ExemplarSchema, "Mark a published pledge as an exemplar (样板)"),
):
    _action_route(_action, _schema, _summary)


@blp.route("/<int:pledge_id>/progress")
class PledgeProgress(MethodView):
    @blp.arguments(ProgressCreateSchema)
    @blp.response(201, ProgressSchema)
    def post(self, data, pledge_id: int):
        """Report progress (践诺): values per target and evidence"""
        principal = require(*ACTORS)
        with service.db.session() as s:
            return pledge_actions.report_progress(s, principal, pledge_id, data)


@blp.route("/<int:pledge_id>/history")
class PledgeHistory(MethodView):
    @blp.response(200, HistorySchema)
    def get(self, pledge_id: int):
        """Every version, every transition (who, when, why), what changed, every progress report"""
        principal = require(*ANYONE)
        with service.db.session() as s:
            return history_uc.history(s, principal, pledge_id)


BLUEPRINTS = (carriers, blp)
