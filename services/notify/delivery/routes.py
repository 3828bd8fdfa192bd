"""POST · GET /api/v1/webhooks, DELETE …/{id}, POST …/{id}/ping."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.notify import access, endpoints
from services.notify.channels.webhook import HttpWebhookSender
from services.notify.extensions import service
from services.notify.models import directory
from services.notify.schemas import (
    PingSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookQueryArgsSchema,
    WebhookSchema,
)
from shared.auth import require
from shared.db import utcnow
from shared.pagination import page_schema, paginate

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks",
                description="Webhook 订阅 — where org and group systems receive notifications")


def _settings():
    return current_app.config["XIANFENG_SETTINGS"]


def _subtree_org_ids(session, org_id: int) -> list[int]:
    o = directory.orgs
    path = session.execute(select(o.c.path).where(o.c.id == org_id)).scalar()
    if path is None:
        return [org_id]
    return list(session.execute(select(o.c.id).where(o.c.path.startswith(path))).scalars())


@blp.route("")
class Webhooks(MethodView):
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, data: dict):
        """Register a URL (checked against the allow-list); the signing secret is returned once"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            access.require_org_or_global(principal, session, data["org_id"])
            return endpoints.register(session, created_by=access.tag(principal), allow=_settings().webhook_allow,
                                      now=utcnow(), **data)

    @blp.arguments(WebhookQueryArgsSchema, location="query")
    @blp.response(200, page_schema(WebhookSchema))
    def get(self, args: dict):
        """Registered endpoints (an org admin sees those of their subtree)"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            if principal.is_admin or principal.is_system:
                orgs = None if args.get("org_id") is None else [args["org_id"]]
                stmt = endpoints.listed(session, orgs, include_global=orgs is None)
            else:
                stmt = endpoints.listed(session, _subtree_org_ids(session, principal.org), include_global=False)
            return paginate(session, stmt, args["page"], args["page_size"])


@blp.route("/<int:endpoint_id>")
class WebhookById(MethodView):
    @blp.response(204)
    def delete(self, endpoint_id: int):
        """Remove an endpoint"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            endpoint = endpoints.get(session, endpoint_id)
            access.require_org_or_global(principal, session, endpoint.org_id)
            session.delete(endpoint)


@blp.route("/<int:endpoint_id>/ping")
class Ping(MethodView):
    @blp.response(200, PingSchema)
    def post(self, endpoint_id: int):
        """Send a signed test event now and report whether the endpoint accepted it"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            endpoint = endpoints.get(session, endpoint_id)
            access.require_org_or_global(principal, session, endpoint.org_id)
        sender = HttpWebhookSender(allow=_settings().webhook_allow)
        try:
            return endpoints.ping(endpoint, sender, utcnow())
        finally:
            sender.close()
