"""HTTP endpoints of the pledge service (thin: schema in, one use case, schema out)."""

from __future__ import annotations

from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint

from services.pledge import schemas
from services.pledge import services as uc
from services.pledge.extensions import service
from shared.auth import require
from shared.pagination import page_schema
from shared.web import Api

orgs = Blueprint("orgs", __name__, url_prefix="/api/v1/orgs", description="组织 — the organisation tree")


@orgs.route("")
class Orgs(MethodView):
    @orgs.arguments(schemas.OrgQueryArgsSchema, location="query")
    @orgs.response(200, page_schema(schemas.OrgSchema))
    def get(self, args):
        """List orgs"""
        require("admin", "org_admin", "member", "system")
        with service.db.session() as s:
            return uc.list_orgs(s, args)

    @orgs.arguments(schemas.OrgCreateSchema)
    @orgs.response(201, schemas.OrgSchema)
    def post(self, data):
        """Create an org"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return uc.create_org(s, principal, data)


@orgs.route("/<int:org_id>")
class OrgById(MethodView):
    @orgs.response(200, schemas.OrgSchema)
    def get(self, org_id: int):
        """One org"""
        require("admin", "org_admin", "member", "system")
        with service.db.session() as s:
            return uc.get_org(s, org_id)


def register(app: Flask, api: Api) -> None:
    api.register_blueprint(orgs)
