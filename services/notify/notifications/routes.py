"""POST · GET /api/v1/notifications, GET …/{id}, GET …/{id}/deliveries, GET …/{id}/failures."""

from __future__ import annotations

from flask.views import MethodView

from services.notify.notifications import accepting, report, status
from services.notify.notifications.schemas import (
    DeliveryLineSchema,
    DeliveryQueryArgsSchema,
    DeliverySchema,
    NotificationAcceptedSchema,
    NotificationCreateSchema,
    NotificationQueryArgsSchema,
    NotificationSchema,
)
from shared.pagination import PageArgsSchema, page_schema
from shared.web.blueprint import Blueprint

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="通知 — send a notification and follow its delivery")

SENDERS = ("admin", "org_admin", "system")  # an org admin to their own subtree


@blp.route("")
class Notifications(MethodView):
    @blp.authorize(*SENDERS)
    @blp.arguments(NotificationCreateSchema)
    @blp.response(202, NotificationAcceptedSchema)
    @blp.transaction
    def post(self, data: dict, *, principal, ctx):
        """Accept a notification; workers resolve its recipients and deliver it"""
        return accepting.accept_request(ctx, principal, data)

    @blp.authorize(*SENDERS)
    @blp.arguments(NotificationQueryArgsSchema, location="query")
    @blp.response(200, page_schema(NotificationSchema))
    @blp.transaction(read_only=True)
    def get(self, args: dict, *, principal, ctx):
        """Notifications, newest first, with counts by channel and state (org admins: theirs and their subtree's)"""
        return report.listing(ctx.session, principal, category=args.get("category"), state=args.get("state"),
                              created_after=args.get("created_after"), page=args["page"],
                              page_size=args["page_size"])


@blp.route("/<int:notification_id>")
class NotificationById(MethodView):
    @blp.authorize(*SENDERS)
    @blp.response(200, NotificationSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, notification_id: int, *, principal, ctx):
        """State and delivery counts from the ledger"""
        return status.status(ctx.session, principal, notification_id)


@blp.route("/<int:notification_id>/failures")
class Failures(MethodView):
    @blp.authorize(*SENDERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(DeliverySchema))
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args: dict, notification_id: int, *, principal, ctx):
        """Deliveries that stayed failed after their retries, with the last error"""
        return status.failures(ctx.session, principal, notification_id, args["page"], args["page_size"])


@blp.route("/<int:notification_id>/deliveries")
class Deliveries(MethodView):
    @blp.authorize(*SENDERS)
    @blp.arguments(DeliveryQueryArgsSchema, location="query")
    @blp.response(200, page_schema(DeliveryLineSchema))
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args: dict, notification_id: int, *, principal, ctx):
        """Who got it, who did not and why: its deliveries by state and channel (robots' summaries last)"""
        return report.deliveries(ctx.session, principal, notification_id, state=args.get("state"),
                                 channel=args.get("channel"), page=args["page"], page_size=args["page_size"])
