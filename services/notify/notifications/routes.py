"""POST /api/v1/notifications, GET …/{id}, GET …/{id}/failures."""

from __future__ import annotations

from flask.views import MethodView

from services.notify.notifications import accepting, status
from services.notify.notifications.schemas import (
    DeliverySchema,
    NotificationAcceptedSchema,
    NotificationCreateSchema,
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
