"""HTTP endpoints of supervision (督诺): inspections, quarterly comments, demo sites, contact points."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.supervision import comments, contacts, inspections, sites
from services.pledge.supervision import schemas as s
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

READERS = ("admin", "org_admin", "member", "system")
WRITERS = ("admin", "org_admin")
LEADERS = ("admin", "org_admin", "member")  # a leader logs visits to their own contact points

inspection_blp = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
                           description="检查调研 — routine and unannounced inspections")
comment_blp = Blueprint("quarterly_comments", __name__, url_prefix="/api/v1/orgs",
                        description="每季点评 — quarterly comments per org")
site_blp = Blueprint("demo_sites", __name__, url_prefix="/api/v1/demo-sites",
                     description="示范点 — demonstration sites, their actions and monthly evaluations")
contact_blp = Blueprint("contact_points", __name__, url_prefix="/api/v1/contact-points",
                        description="联系点 — leaders' contact points and visits")


# ---- inspections -----------------------------------------------------------------------------
@inspection_blp.route("")
class Inspections(MethodView):
    @inspection_blp.authorize(*READERS)
    @inspection_blp.arguments(s.InspectionQueryArgsSchema, location="query")
    @inspection_blp.response(200, page_schema(s.InspectionSchema))
    @inspection_blp.answers(404)
    @inspection_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List inspections (?org_id=&subtree=1&kind=&pledge_id=)"""
        return inspections.list_inspections(ctx.session, principal, args)

    @inspection_blp.authorize(*WRITERS)
    @inspection_blp.arguments(s.InspectionCreateSchema)
    @inspection_blp.response(201, s.InspectionSchema)
    @inspection_blp.transaction
    def post(self, data, *, principal, ctx):
        """Record an inspection of an org, with the pledges it looked at"""
        return inspections.create_inspection(ctx, principal, data)


@inspection_blp.route("/<int:inspection_id>")
class InspectionById(MethodView):
    @inspection_blp.authorize(*READERS)
    @inspection_blp.response(200, s.InspectionSchema)
    @inspection_blp.answers(404)
    @inspection_blp.transaction(read_only=True)
    def get(self, inspection_id: int, *, principal, ctx):
        """One inspection"""
        return inspections.get_inspection(ctx.session, principal, inspection_id)


# ---- quarterly comments ----------------------------------------------------------------------
@comment_blp.route("/<int:org_id>/comments")
class Comments(MethodView):
    @comment_blp.authorize(*READERS)
    @comment_blp.arguments(s.CommentQueryArgsSchema, location="query")
    @comment_blp.response(200, page_schema(s.CommentSchema))
    @comment_blp.answers(404)
    @comment_blp.transaction(read_only=True)
    def get(self, args, org_id: int, *, principal, ctx):
        """Quarterly comments of an org (?year=&quarter=&subtree=1)"""
        return comments.list_comments(ctx.session, principal, org_id, args)

    @comment_blp.authorize(*WRITERS)
    @comment_blp.arguments(s.CommentCreateSchema)
    @comment_blp.response(201, s.CommentSchema)
    @comment_blp.answers(404, 409)
    @comment_blp.transaction
    def post(self, data, org_id: int, *, principal, ctx):
        """Comment on an org's quarter (one per org per quarter)"""
        return comments.create_comment(ctx, principal, org_id, data)


@comment_blp.route("/<int:org_id>/comments/awaiting")
class CommentsAwaiting(MethodView):
    @comment_blp.authorize(*READERS)
    @comment_blp.arguments(s.AwaitingCommentQueryArgsSchema, location="query")
    @comment_blp.response(200, page_schema(s.OrgBriefSchema))
    @comment_blp.answers(404)
    @comment_blp.transaction(read_only=True)
    def get(self, args, org_id: int, *, principal, ctx):
        """Orgs below this one still awaiting their quarterly comment (?year=&quarter=, default: this quarter)"""
        return comments.orgs_awaiting_comment(ctx, principal, org_id, args)


@comment_blp.route("/<int:org_id>/comments/<int:comment_id>")
class CommentById(MethodView):
    @comment_blp.authorize(*READERS)
    @comment_blp.response(200, s.CommentSchema)
    @comment_blp.answers(404)
    @comment_blp.transaction(read_only=True)
    def get(self, org_id: int, comment_id: int, *, principal, ctx):
        """One quarterly comment"""
        return comments.get_comment(ctx.session, principal, org_id, comment_id)


# ---- demonstration sites ---------------------------------------------------------------------
@site_blp.route("")
class DemoSites(MethodView):
    @site_blp.authorize(*READERS)
    @site_blp.arguments(s.DemoSiteQueryArgsSchema, location="query")
    @site_blp.response(200, page_schema(s.DemoSiteSchema))
    @site_blp.answers(404)
    @site_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List demonstration sites (?org_id=&subtree=1&level=key|general)"""
        return sites.list_sites(ctx.session, principal, args)

    @site_blp.authorize(*WRITERS)
    @site_blp.arguments(s.DemoSiteCreateSchema)
    @site_blp.response(201, s.DemoSiteSchema)
    @site_blp.answers(409)
    @site_blp.transaction
    def post(self, data, *, principal, ctx):
        """Create a demonstration site (a branch or a post)"""
        return sites.create_site(ctx, principal, data)


@site_blp.route("/<int:site_id>")
class DemoSiteById(MethodView):
    @site_blp.authorize(*READERS)
    @site_blp.response(200, s.DemoSiteDetailSchema)
    @site_blp.answers(404)
    @site_blp.transaction(read_only=True)
    def get(self, site_id: int, *, principal, ctx):
        """One site with its progress on the three lines and its action completion"""
        return sites.get_site(ctx, principal, site_id)


@site_blp.route("/<int:site_id>/actions")
class DemoSiteActions(MethodView):
    @site_blp.authorize(*READERS)
    @site_blp.arguments(s.ActionQueryArgsSchema, location="query")
    @site_blp.response(200, page_schema(s.ActionSchema))
    @site_blp.answers(404)
    @site_blp.transaction(read_only=True)
    def get(self, args, site_id: int, *, principal, ctx):
        """Prescribed and optional actions of a site"""
        return sites.list_actions(ctx.session, principal, site_id, args)

    @site_blp.authorize(*WRITERS)
    @site_blp.arguments(s.ActionCreateSchema)
    @site_blp.response(201, s.ActionSchema)
    @site_blp.answers(404)
    @site_blp.transaction
    def post(self, data, site_id: int, *, principal, ctx):
        """Add a prescribed (规定动作) or optional (自选动作) action"""
        return sites.add_action(ctx.session, principal, site_id, data)


@site_blp.route("/<int:site_id>/actions/<int:action_id>/complete")
class DemoSiteActionComplete(MethodView):
    @site_blp.authorize(*WRITERS)
    @site_blp.arguments(s.ActionCompleteSchema)
    @site_blp.response(200, s.ActionSchema)
    @site_blp.answers(404, 409)
    @site_blp.transaction
    def post(self, data, site_id: int, action_id: int, *, principal, ctx):
        """Mark an action done"""
        return sites.complete_action(ctx, principal, site_id, action_id, data)


@site_blp.route("/<int:site_id>/evaluations")
class DemoSiteEvaluations(MethodView):
    @site_blp.authorize(*READERS)
    @site_blp.arguments(s.EvaluationQueryArgsSchema, location="query")
    @site_blp.response(200, page_schema(s.EvaluationSchema))
    @site_blp.answers(404)
    @site_blp.transaction(read_only=True)
    def get(self, args, site_id: int, *, principal, ctx):
        """Monthly management evaluations of a site, newest first"""
        return sites.list_evaluations(ctx.session, principal, site_id, args)

    @site_blp.authorize(*WRITERS)
    @site_blp.arguments(s.EvaluationCreateSchema)
    @site_blp.response(201, s.EvaluationSchema)
    @site_blp.answers(404, 409)
    @site_blp.transaction
    def post(self, data, site_id: int, *, principal, ctx):
        """Add the month's management evaluation (one per site per month)"""
        return sites.add_evaluation(ctx, principal, site_id, data)


# ---- contact points --------------------------------------------------------------------------
@contact_blp.route("")
class ContactPoints(MethodView):
    @contact_blp.authorize(*READERS)
    @contact_blp.arguments(s.ContactPointQueryArgsSchema, location="query")
    @contact_blp.response(200, page_schema(s.ContactPointSchema))
    @contact_blp.answers(404)
    @contact_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List contact points (?org_id=&subtree=1&leader_id=)"""
        return contacts.list_contact_points(ctx.session, principal, args)

    @contact_blp.authorize(*WRITERS)
    @contact_blp.arguments(s.ContactPointCreateSchema)
    @contact_blp.response(201, s.ContactPointSchema)
    @contact_blp.answers(409)
    @contact_blp.transaction
    def post(self, data, *, principal, ctx):
        """Link a leader to a grassroots org"""
        return contacts.create_contact_point(ctx.session, principal, data)


@contact_blp.route("/counts")
class ContactCounts(MethodView):
    @contact_blp.authorize(*READERS)
    @contact_blp.arguments(s.ContactCountQueryArgsSchema, location="query")
    @contact_blp.response(200, page_schema(s.ContactCountSchema))
    @contact_blp.answers(404)
    @contact_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """Contact points and visits per leader, per org or per unit (?group_by=leader|org|unit)"""
        return contacts.contact_counts(ctx.session, principal, args)


@contact_blp.route("/<int:point_id>")
class ContactPointById(MethodView):
    @contact_blp.authorize(*READERS)
    @contact_blp.response(200, s.ContactPointSchema)
    @contact_blp.answers(404)
    @contact_blp.transaction(read_only=True)
    def get(self, point_id: int, *, principal, ctx):
        """One contact point with its visit count"""
        return contacts.get_contact_point(ctx.session, principal, point_id)


@contact_blp.route("/<int:point_id>/visits")
class ContactVisits(MethodView):
    @contact_blp.authorize(*READERS)
    @contact_blp.arguments(s.VisitQueryArgsSchema, location="query")
    @contact_blp.response(200, page_schema(s.VisitSchema))
    @contact_blp.answers(404)
    @contact_blp.transaction(read_only=True)
    def get(self, args, point_id: int, *, principal, ctx):
        """Visit log of a contact point, newest first"""
        return contacts.list_visits(ctx.session, principal, point_id, args)

    @contact_blp.authorize(*LEADERS)
    @contact_blp.arguments(s.VisitCreateSchema)
    @contact_blp.response(201, s.VisitSchema)
    @contact_blp.answers(404)
    @contact_blp.transaction
    def post(self, data, point_id: int, *, principal, ctx):
        """Log a visit (the leader, or an admin of the org)"""
        return contacts.log_visit(ctx, principal, point_id, data)


BLUEPRINTS = (inspection_blp, comment_blp, site_blp, contact_blp)
