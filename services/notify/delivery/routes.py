"""POST · GET /api/v1/webhooks, DELETE …/{id}, POST …/{id}/ping."""

from __future__ import annotations

from flask.views import MethodView

from services.notify.delivery import endpoints
from services.notify.delivery.schemas import (
    PingSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookQueryArgsSchema,
    WebhookSchema,
)
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint, current_service

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Webhook 订阅 — where org and group systems receive notifications")


@blp.route("")
class Webhooks(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema)
    @blp.transaction
    def post(self, data: dict, *, principal, ctx):
        """Register a URL (checked against the allow-list); the signing secret is returned once"""
        return endpoints.register(ctx, principal, **data)

    @blp.authorize("org_admin", "system")
    @blp.arguments(WebhookQueryArgsSchema, location="query")
    @blp.response(200, page_schema(WebhookSchema))
    @blp.transaction(read_only=True)
    def get(self, args: dict, *, principal, ctx):
        """Registered endpoints (an org admin sees those of their subtree)"""
        return endpoints.listing(ctx.session, principal, args.get("org_id"), args["page"], args["page_size"])


@blp.route("/<int:endpoint_id>")
class WebhookById(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.response(204)
    @blp.answers(404)
    @blp.transaction
    def delete(self, endpoint_id: int, *, principal, ctx):
        """Remove an endpoint"""
        endpoints.remove(ctx, principal, endpoint_id)


@blp.route("/<int:endpoint_id>/ping")
class Ping(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.response(200, PingSchema)
    @blp.answers(404)
    def post(self, endpoint_id: int, *, principal):
        """Send a signed test event now and report whether the endpoint accepted it"""
        return endpoints.ping(current_service().unit_of_work, principal, endpoint_id)
