"""HTTP endpoints of supervision (督诺): inspections, quarterly comments, demo sites, contact points."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.pledge.app import service
from services.pledge.supervision import contacts, sites
from services.pledge.supervision import inspections as sup
from services.pledge.supervision import schemas as s
from shared.auth import require
from shared.pagination import page_schema
from shared.web import Api

READERS = ("admin", "org_admin", "member", "system")
WRITERS = ("admin", "org_admin")
LEADERS = ("admin", "org_admin", "member")  # a leader logs visits to their own contact points


def call(roles: tuple[str, ...], use_case: Callable[..., Any], *args: Any) -> Any:
    """The body of every view: check the role, run one use case in a transaction, return its result."""
    principal = require(*roles)
    with service.db.session() as session:
        return use_case(session, principal, *args)


inspections = Blueprint("inspections", __name__, url_prefix="/api/v1/inspections",
                        description="检查调研 — routine and unannounced inspections")
comments = Blueprint("quarterly_comments", __name__, url_prefix="/api/v1/orgs",
                     description="每季点评 — quarterly comments per org")
demo_sites = Blueprint("demo_sites", __name__, url_prefix="/api/v1/demo-sites",
                       description="示范点 — demonstration sites, their actions and monthly evaluations")
contact_points = Blueprint("contact_points", __name__, url_prefix="/api/v1/contact-points",
                           description="联系点 — leaders' contact points and visits")


# ---- inspections -----------------------------------------------------------------------------
@inspections.route("")
class Inspections(MethodView):
    @inspections.arguments(s.InspectionQueryArgsSchema, location="query")
    @inspections.response(200, page_schema(s.InspectionSchema))
    def get(self, args):
        """List inspections (?org_id=&subtree=1&kind=&pledge_id=)"""
        return call(READERS, sup.list_inspections, args)

    @inspections.arguments(s.InspectionCreateSchema)
    @inspections.response(201, s.InspectionSchema)
    def post(self, data):
        """Record an inspection of an org, with the pledges it looked at"""
        return call(WRITERS, sup.create_inspection, data, sup.today())


@inspections.route("/<int:inspection_id>")
class InspectionById(MethodView):
    @inspections.response(200, s.InspectionSchema)
    def get(self, inspection_id: int):
        """One inspection"""
        return call(READERS, sup.get_inspection, inspection_id)


# ---- quarterly comments ----------------------------------------------------------------------
@comments.route("/<int:org_id>/comments")
class Comments(MethodView):
    @comments.arguments(s.CommentQueryArgsSchema, location="query")
    @comments.response(200, page_schema(s.CommentSchema))
    def get(self, args, org_id: int):
        """Quarterly comments of an org (?year=&quarter=&subtree=1)"""
        return call(READERS, sup.list_comments, org_id, args)

    @comments.arguments(s.CommentCreateSchema)
    @comments.response(201, s.CommentSchema)
    def post(self, data, org_id: int):
        """Comment on an org's quarter (one per org per quarter)"""
        return call(WRITERS, sup.create_comment, org_id, data, sup.today())


@comments.route("/<int:org_id>/comments/awaiting")
class CommentsAwaiting(MethodView):
    @comments.arguments(s.AwaitingCommentQueryArgsSchema, location="query")
    @comments.response(200, page_schema(s.OrgBriefSchema))
    def get(self, args, org_id: int):
        """Orgs below this one still awaiting their quarterly comment (?year=&quarter=, default: this quarter)"""
        return call(READERS, sup.orgs_awaiting_comment, org_id, args, sup.today())


@comments.route("/<int:org_id>/comments/<int:comment_id>")
class CommentById(MethodView):
    @comments.response(200, s.CommentSchema)
    def get(self, org_id: int, comment_id: int):
        """One quarterly comment"""
        return call(READERS, sup.get_comment, org_id, comment_id)


# ---- demonstration sites ---------------------------------------------------------------------
@demo_sites.route("")
class DemoSites(MethodView):
    @demo_sites.arguments(s.DemoSiteQueryArgsSchema, location="query")
    @demo_sites.response(200, page_schema(s.DemoSiteSchema))
    def get(self, args):
        """List demonstration sites (?org_id=&subtree=1&level=key|general)"""
        return call(READERS, sites.list_sites, args)

    @demo_sites.arguments(s.DemoSiteCreateSchema)
    @demo_sites.response(201, s.DemoSiteSchema)
    def post(self, data):
        """Create a demonstration site (a branch or a post)"""
        return call(WRITERS, sites.create_site, data, sup.today())


@demo_sites.route("/<int:site_id>")
class DemoSiteById(MethodView):
    @demo_sites.response(200, s.DemoSiteDetailSchema)
    def get(self, site_id: int):
        """One site with its progress on the three lines and its action completion"""
        return call(READERS, sites.get_site, site_id, sup.today())


@demo_sites.route("/<int:site_id>/actions")
class DemoSiteActions(MethodView):
    @demo_sites.arguments(s.ActionQueryArgsSchema, location="query")
    @demo_sites.response(200, page_schema(s.ActionSchema))
    def get(self, args, site_id: int):
        """Prescribed and optional actions of a site"""
        return call(READERS, sites.list_actions, site_id, args)

    @demo_sites.arguments(s.ActionCreateSchema)
    @demo_sites.response(201, s.ActionSchema)
    def post(self, data, site_id: int):
        """Add a prescribed (规定动作) or optional (自选动作) action"""
        return call(WRITERS, sites.add_action, site_id, data)


@demo_sites.route("/<int:site_id>/actions/<int:action_id>/complete")
class DemoSiteActionComplete(MethodView):
    @demo_sites.arguments(s.ActionCompleteSchema)
    @demo_sites.response(200, s.ActionSchema)
    def post(self, data, site_id: int, action_id: int):
        """Mark an action done"""
        return call(WRITERS, sites.complete_action, site_id, action_id, data, sup.today())


@demo_sites.route("/<int:site_id>/evaluations")
class DemoSiteEvaluations(MethodView):
    @demo_sites.arguments(s.EvaluationQueryArgsSchema, location="query")
    @demo_sites.response(200, page_schema(s.EvaluationSchema))
    def get(self, args, site_id: int):
        """Monthly management evaluations of a site, newest first"""
        return call(READERS, sites.list_evaluations, site_id, args)

    @demo_sites.arguments(s.EvaluationCreateSchema)
    @demo_sites.response(201, s.EvaluationSchema)
    def post(self, data, site_id: int):
        """Add the month's management evaluation (one per site per month)"""
        return call(WRITERS, sites.add_evaluation, site_id, data, sup.today())


# ---- contact points --------------------------------------------------------------------------
@contact_points.route("")
class ContactPoints(MethodView):
    @contact_points.arguments(s.ContactPointQueryArgsSchema, location="query")
    @contact_points.response(200, page_schema(s.ContactPointSchema))
    def get(self, args):
        """List contact points (?org_id=&subtree=1&leader_id=)"""
        return call(READERS, contacts.list_contact_points, args)

    @contact_points.arguments(s.ContactPointCreateSchema)
    @contact_points.response(201, s.ContactPointSchema)
    def post(self, data):
        """Link a leader to a grassroots org"""
        return call(WRITERS, contacts.create_contact_point, data)


@contact_points.route("/counts")
class ContactCounts(MethodView):
    @contact_points.arguments(s.ContactCountQueryArgsSchema, location="query")
    @contact_points.response(200, page_schema(s.ContactCountSchema))
    def get(self, args):
        """Contact points and visits per leader, per org or per unit (?group_by=leader|org|unit)"""
        return call(READERS, contacts.contact_counts, args)


@contact_points.route("/<int:point_id>")
class ContactPointById(MethodView):
    @contact_points.response(200, s.ContactPointSchema)
    def get(self, point_id: int):
        """One contact point with its visit count"""
        return call(READERS, contacts.get_contact_point, point_id)


@contact_points.route("/<int:point_id>/visits")
class ContactVisits(MethodView):
    @contact_points.arguments(s.VisitQueryArgsSchema, location="query")
    @contact_points.response(200, page_schema(s.VisitSchema))
    def get(self, args, point_id: int):
        """Visit log of a contact point, newest first"""
        return call(READERS, contacts.list_visits, point_id, args)

    @contact_points.arguments(s.VisitCreateSchema)
    @contact_points.response(201, s.VisitSchema)
    def post(self, data, point_id: int):
        """Log a visit (the leader, or an admin of the org)"""
        return call(LEADERS, contacts.log_visit, point_id, data, sup.today())


def register(api: Api) -> None:
    for blueprint in (inspections, comments, demo_sites, contact_points):
        api.register_blueprint(blueprint)
