"""HTTP endpoints of 三服务: ``/api/v1/service-targets``."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.service_targets import schemas as s
from services.pledge.service_targets import targets
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

READERS = ("admin", "org_admin", "member", "system")
SETTERS = ("admin", "org_admin", "member")

blp = Blueprint("service_targets", __name__, url_prefix="/api/v1/service-targets",
                description="三服务 — service targets set downward, rated against on three_way ballots")


@blp.route("")
class ServiceTargets(MethodView):
    @blp.authorize(*READERS)
    @blp.arguments(s.ServiceTargetQueryArgsSchema, location="query")
    @blp.response(200, page_schema(s.ServiceTargetSchema))
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """Service targets the caller may read (?provider_type=&provider_id=&org_id=&subtree=1&period_start=)"""
        return targets.list_targets(ctx.session, principal, args)

    @blp.authorize(*SETTERS)
    @blp.arguments(s.ServiceTargetCreateSchema)
    @blp.response(201, s.ServiceTargetSchema)
    @blp.answers(409)
    @blp.transaction
    def post(self, data, *, principal, ctx):
        """Set a service target for a period (a committee for its branches, a branch its members, a member
        the employees of their branch)"""
        return targets.create_target(ctx, principal, data)


@blp.route("/<int:target_id>")
class ServiceTargetById(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, s.ServiceTargetSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, target_id: int, *, principal, ctx):
        """One service target (its working version)"""
        return targets.get_target(ctx.session, principal, target_id)

    @blp.authorize(*SETTERS)
    @blp.arguments(s.ServiceTargetReviseSchema)
    @blp.response(200, s.ServiceTargetSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def patch(self, data, target_id: int, *, principal, ctx):
        """Revise a service target: version + 1, with the reason; every version is kept"""
        return targets.revise_target(ctx, principal, target_id, data)


@blp.route("/<int:target_id>/withdraw")
class ServiceTargetWithdraw(MethodView):
    @blp.authorize(*SETTERS)
    @blp.arguments(s.ServiceTargetWithdrawSchema)
    @blp.response(200, s.ServiceTargetSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, target_id: int, *, principal, ctx):
        """Withdraw a service target (it leaves the ballots)"""
        return targets.withdraw_target(ctx, principal, target_id, data)


@blp.route("/<int:target_id>/versions")
class ServiceTargetVersions(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, s.ServiceTargetHistorySchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, target_id: int, *, principal, ctx):
        """Every version of a service target, with why it changed"""
        return targets.versions(ctx.session, principal, target_id)


BLUEPRINTS = (blp,)
