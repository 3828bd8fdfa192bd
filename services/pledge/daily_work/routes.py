"""HTTP endpoints of daily work: zones (党员责任区)."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.daily_work import schemas as s
from services.pledge.daily_work import zones
from shared.pagination import PageArgsSchema, page_schema
from shared.web.blueprint import Blueprint

READERS = ("admin", "org_admin", "member", "system")
WRITERS = ("admin", "org_admin")

zone_blp = Blueprint("zones", __name__, url_prefix="/api/v1/zones",
                     description="党员责任区 — responsibility zones, their checks and incidents")


@zone_blp.route("")
class Zones(MethodView):
    @zone_blp.authorize(*READERS)
    @zone_blp.arguments(s.ZoneQueryArgsSchema, location="query")
    @zone_blp.response(200, page_schema(s.ZoneSchema))
    @zone_blp.answers(404)
    @zone_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List zones (?org_id=&subtree=1&kind=), each with days without incident and its last check"""
        return zones.list_zones(ctx, principal, args)

    @zone_blp.authorize(*WRITERS)
    @zone_blp.arguments(s.ZoneCreateSchema)
    @zone_blp.response(201, s.ZoneSchema)
    @zone_blp.transaction
    def post(self, data, *, principal, ctx):
        """Create a zone held by party members of the org (five_s: the five guarantees by default)"""
        return zones.create_zone(ctx, principal, data)


@zone_blp.route("/<int:zone_id>")
class ZoneById(MethodView):
    @zone_blp.authorize(*READERS)
    @zone_blp.response(200, s.ZoneSchema)
    @zone_blp.answers(404)
    @zone_blp.transaction(read_only=True)
    def get(self, zone_id: int, *, principal, ctx):
        """One zone: days without incident, last check, checks passed / total"""
        return zones.get_zone(ctx, principal, zone_id)


@zone_blp.route("/<int:zone_id>/checks")
class ZoneChecks(MethodView):
    @zone_blp.authorize(*READERS)
    @zone_blp.arguments(PageArgsSchema, location="query")
    @zone_blp.response(200, page_schema(s.ZoneCheckSchema))
    @zone_blp.answers(404)
    @zone_blp.transaction(read_only=True)
    def get(self, args, zone_id: int, *, principal, ctx):
        """Checks of a zone, newest first"""
        return zones.list_checks(ctx, principal, zone_id, args)

    @zone_blp.authorize(*WRITERS)
    @zone_blp.arguments(s.ZoneCheckCreateSchema)
    @zone_blp.response(201, s.ZoneCheckSchema)
    @zone_blp.answers(404)
    @zone_blp.transaction
    def post(self, data, zone_id: int, *, principal, ctx):
        """Record a check: a result for every guarantee of the zone"""
        return zones.add_check(ctx, principal, zone_id, data)


@zone_blp.route("/<int:zone_id>/incidents")
class ZoneIncidents(MethodView):
    @zone_blp.authorize(*READERS)
    @zone_blp.arguments(PageArgsSchema, location="query")
    @zone_blp.response(200, page_schema(s.ZoneIncidentSchema))
    @zone_blp.answers(404)
    @zone_blp.transaction(read_only=True)
    def get(self, args, zone_id: int, *, principal, ctx):
        """Incidents of a zone, newest first"""
        return zones.list_incidents(ctx, principal, zone_id, args)

    @zone_blp.authorize(*WRITERS)
    @zone_blp.arguments(s.ZoneIncidentCreateSchema)
    @zone_blp.response(201, s.ZoneIncidentSchema)
    @zone_blp.answers(404)
    @zone_blp.transaction
    def post(self, data, zone_id: int, *, principal, ctx):
        """Record an incident (safety, quality, equipment, discipline): 党员身边无事故 starts again"""
        return zones.add_incident(ctx, principal, zone_id, data)


BLUEPRINTS = (zone_blp,)
