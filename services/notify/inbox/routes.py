"""GET /api/v1/inbox/{person_id}, mark one or all read, unread count."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.notify import access, inbox
from services.notify.extensions import service
from services.notify.schemas import InboxPageSchema, InboxQueryArgsSchema, MarkedSchema, UnreadSchema
from shared.auth import require
from shared.db import utcnow

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox", description="站内信 — a person's inbox")


def _allowed(person_id: int, session) -> None:
    access.require_person(require("member", "org_admin", "system"), session, person_id)


@blp.route("/<int:person_id>")
class Inbox(MethodView):
    @blp.arguments(InboxQueryArgsSchema, location="query")
    @blp.response(200, InboxPageSchema)
    def get(self, args: dict, person_id: int):
        """Messages newest first (``?unread=1`` for unread only), with the unread count"""
        with service.db.reading() as session:
            _allowed(person_id, session)
            return inbox.page(session, person_id, args["unread"], args["page"], args["page_size"])


@blp.route("/<int:person_id>/unread-count")
class Unread(MethodView):
    @blp.response(200, UnreadSchema)
    def get(self, person_id: int):
        """How many messages are unread"""
        with service.db.session() as session:
            _allowed(person_id, session)
            return {"unread": inbox.unread_count(session, person_id)}


@blp.route("/<int:person_id>/<int:message_id>/read")
class Read(MethodView):
    @blp.response(204)
    def post(self, person_id: int, message_id: int):
        """Mark one message read"""
        with service.db.session() as session:
            _allowed(person_id, session)
            inbox.mark_read(session, person_id, message_id, utcnow())


@blp.route("/<int:person_id>/read-all")
class ReadAll(MethodView):
    @blp.response(200, MarkedSchema)
    def post(self, person_id: int):
        """Mark every message read"""
        with service.db.session() as session:
            _allowed(person_id, session)
            return {"marked": inbox.mark_all_read(session, person_id, utcnow())}
