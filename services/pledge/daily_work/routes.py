"""HTTP endpoints of daily work: zones (党员责任区), posts and badges, volunteer service, 一助一 pairs."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from services.pledge.daily_work import mentorships, photos, posts, volunteering, zones
from services.pledge.daily_work import schemas as s
from shared.pagination import PageArgsSchema, page_schema
from shared.web.blueprint import Blueprint

READERS = ("admin", "org_admin", "member", "system")
WRITERS = ("admin", "org_admin")

zone_blp = Blueprint("zones", __name__, url_prefix="/api/v1/zones",
                     description="党员责任区 — responsibility zones, their checks and incidents")
post_blp = Blueprint("posts", __name__, url_prefix="/api/v1/posts",
                     description="党员先锋岗 / 挂牌上岗 — posts and badges held by a person")
volunteering_blp = Blueprint("volunteering", __name__, url_prefix="/api/v1/volunteering",
                             description="志愿服务 — volunteer activities and person-hours")
photo_blp = Blueprint("photos", __name__, url_prefix="/api/v1/people",
                      description="照片上墙 — a person's photo (JPEG/PNG in, a re-encoded JPEG out)")
mentorship_blp = Blueprint("mentorships", __name__, url_prefix="/api/v1/mentorships",
                           description="一助一 — mentoring pairs")


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


# ---- posts and badges ------------------------------------------------------------------------
@post_blp.route("")
class Posts(MethodView):
    @post_blp.authorize(*READERS)
    @post_blp.arguments(s.PostQueryArgsSchema, location="query")
    @post_blp.response(200, page_schema(s.PostSchema))
    @post_blp.answers(404)
    @post_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List posts and badges (?org_id=&subtree=1&active=1&kind=&holder_id=)"""
        return posts.list_posts(ctx, principal, args)

    @post_blp.authorize(*WRITERS)
    @post_blp.arguments(s.PostCreateSchema)
    @post_blp.response(201, s.PostSchema)
    @post_blp.transaction
    def post(self, data, *, principal, ctx):
        """Put a person of the org on a post or give a badge (挂牌上岗), from a date"""
        return posts.create_post(ctx, principal, data)


@post_blp.route("/<int:post_id>")
class PostById(MethodView):
    @post_blp.authorize(*READERS)
    @post_blp.response(200, s.PostSchema)
    @post_blp.answers(404)
    @post_blp.transaction(read_only=True)
    def get(self, post_id: int, *, principal, ctx):
        """One post or badge"""
        return posts.get_post(ctx, principal, post_id)


@post_blp.route("/<int:post_id>/end")
class PostEnd(MethodView):
    @post_blp.authorize(*WRITERS)
    @post_blp.arguments(s.PostEndSchema)
    @post_blp.response(200, s.PostSchema)
    @post_blp.answers(404)
    @post_blp.transaction
    def post(self, data, post_id: int, *, principal, ctx):
        """End a post or badge on a date"""
        return posts.end_post(ctx, principal, post_id, data)


# ---- volunteer service -----------------------------------------------------------------------
@volunteering_blp.route("")
class Volunteering(MethodView):
    @volunteering_blp.authorize(*READERS)
    @volunteering_blp.arguments(s.VolunteeringQueryArgsSchema, location="query")
    @volunteering_blp.response(200, s.VolunteeringPageSchema)
    @volunteering_blp.answers(404)
    @volunteering_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """Volunteer activities with person-hour totals (?org_id=&subtree=1&person_id=&year=)"""
        return volunteering.list_activities(ctx, principal, args)

    @volunteering_blp.authorize(*WRITERS)
    @volunteering_blp.arguments(s.VolunteeringCreateSchema)
    @volunteering_blp.response(201, s.VolunteeringSchema)
    @volunteering_blp.transaction
    def post(self, data, *, principal, ctx):
        """Record a volunteer activity: the hours each participant gave"""
        return volunteering.record_activity(ctx, principal, data)


# ---- 一助一 ------------------------------------------------------------------------------------
@mentorship_blp.route("")
class Mentorships(MethodView):
    @mentorship_blp.authorize(*READERS)
    @mentorship_blp.arguments(s.MentorshipQueryArgsSchema, location="query")
    @mentorship_blp.response(200, page_schema(s.MentorshipSchema))
    @mentorship_blp.answers(404)
    @mentorship_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List 一助一 pairs (?org_id=&subtree=1&person_id=&active=1), by the mentor's org"""
        return mentorships.list_pairs(ctx, principal, args)

    @mentorship_blp.authorize(*WRITERS)
    @mentorship_blp.arguments(s.MentorshipCreateSchema)
    @mentorship_blp.response(201, s.MentorshipSchema)
    @mentorship_blp.transaction
    def post(self, data, *, principal, ctx):
        """Pair a party member with a colleague to pass on a skill"""
        return mentorships.pair(ctx, principal, data)


# ---- member photos -----------------------------------------------------------------------------
@photo_blp.route("/<int:person_id>/photo")
class PersonPhoto(MethodView):
    @photo_blp.authorize(*READERS)
    @photo_blp.response(200, content_type="image/jpeg", description="the photo, a JPEG without metadata")
    @photo_blp.answers(404)
    @photo_blp.transaction(read_only=True)
    def get(self, person_id: int, *, principal, ctx):
        """A person's photo"""
        body = photos.read_photo(ctx.session, principal, person_id)
        return Response(body, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=300"})

    @photo_blp.authorize("admin", "org_admin", "member")
    @photo_blp.arguments(s.PhotoUploadSchema, location="files")
    @photo_blp.response(200, s.PhotoSchema)
    @photo_blp.answers(404, 413, 415)
    @photo_blp.transaction
    def put(self, files, person_id: int, *, principal, ctx):
        """Upload a person's photo (the person, or an admin over their org): checked from the bytes, re-encoded"""
        return photos.put_photo(ctx, principal, person_id, files.get("file"))

    @photo_blp.authorize("admin", "org_admin", "member")
    @photo_blp.response(204)
    @photo_blp.answers(404)
    @photo_blp.transaction
    def delete(self, person_id: int, *, principal, ctx):
        """Remove a person's photo"""
        photos.remove_photo(ctx, principal, person_id)


BLUEPRINTS = (zone_blp, post_blp, volunteering_blp, mentorship_blp, photo_blp)
