"""POST /api/v1/notifications, GET …/{id}, GET …/{id}/failures."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint

from services.notify import access, recipients, sending
from services.notify.extensions import service
from services.notify.schemas import (
    DeliverySchema,
    NotificationAcceptedSchema,
    NotificationCreateSchema,
    NotificationSchema,
)
from shared.auth import require
from shared.db import utcnow
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.messages import PersonalItem, Recipients, SendNotification
from shared.pagination import PageArgsSchema, page_schema, paginate

UNKNOWN_ORG = bilingual("组织不存在", "Unknown organisation")

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="通知 — send a notification and follow its delivery")


def to_message(data: dict) -> SendNotification:
    r = data["recipients"]
    return SendNotification(
        key=f"api:{uuid.uuid4().hex}", category=data["category"], subject=data["subject"], body=data["body"],
        link=data["link"], channels=data["channels"], source="api",
        recipients=Recipients(person_ids=r.get("person_ids", []), org_id=r.get("org_id"),
                              subtree=r.get("subtree", True), party_members_only=r.get("party_members_only", False)),
        items=[PersonalItem(**item) for item in data["items"]],
    )


@blp.route("")
class Notifications(MethodView):
    @blp.arguments(NotificationCreateSchema)
    @blp.response(202, NotificationAcceptedSchema)
    def post(self, data: dict):
        """Accept a notification; workers resolve its recipients and deliver it"""
        principal = require("admin", "org_admin", "system")
        msg = to_message(data)
        with service.db.session() as session:
            org_id = msg.recipients.org_id
            people = set(msg.recipients.person_ids) | {i.person_id for i in msg.items}
            access.require_sender(principal, session, org_id, people)
            if org_id is not None and recipients.org_path(session, org_id) is None:
                raise ValidationFailed(errors={"recipients.org_id": [UNKNOWN_ORG]})
            notification, _ = sending.create(session, service.publish, msg, utcnow(), access.tag(principal))
            return {"id": notification.id, "state": notification.state, "total": notification.total,
                    "recipients": notification.recipient_count}


@blp.route("/<int:notification_id>")
class NotificationById(MethodView):
    @blp.response(200, NotificationSchema)
    def get(self, notification_id: int):
        """State and delivery counts from the ledger"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as session:
            notification = sending.get(session, notification_id)
            access.require_notification(principal, session, notification)
            return sending.counts(session, notification)


@blp.route("/<int:notification_id>/failures")
class Failures(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(DeliverySchema))
    def get(self, args: dict, notification_id: int):
        """Deliveries that stayed failed after their retries, with the last error"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as session:
            notification = sending.get(session, notification_id)
            access.require_notification(principal, session, notification)
            return paginate(session, sending.failures(session, notification_id), args["page"], args["page_size"])
