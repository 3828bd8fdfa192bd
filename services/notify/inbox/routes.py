"""GET /api/v1/inbox/{person_id}, mark one or all read, unread count."""

from __future__ import annotations

from flask.views import MethodView

from services.notify.inbox import reading
from services.notify.inbox.schemas import InboxPageSchema, InboxQueryArgsSchema, MarkedSchema, UnreadSchema
from shared.web.blueprint import Blueprint

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox", description="站内信 — a person's inbox")

READERS = ("member", "org_admin", "system")  # a member their own; an org admin their subtree's


@blp.route("/<int:person_id>")
class Inbox(MethodView):
    @blp.authorize(*READERS)
    @blp.arguments(InboxQueryArgsSchema, location="query")
    @blp.response(200, InboxPageSchema)
    @blp.transaction(read_only=True)
    def get(self, args: dict, person_id: int, *, principal, ctx):
        """Messages newest first (``?unread=1`` for unread only), with the unread count"""
        return reading.page(ctx.session, principal, person_id, args["unread"], args["page"], args["page_size"])


@blp.route("/<int:person_id>/unread-count")
class Unread(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, UnreadSchema)
    @blp.transaction(read_only=True)
    def get(self, person_id: int, *, principal, ctx):
        """How many messages are unread"""
        return reading.unread_count(ctx.session, principal, person_id)


@blp.route("/<int:person_id>/<int:message_id>/read")
class Read(MethodView):
    @blp.authorize(*READERS)
    @blp.response(204)
    @blp.answers(404)
    @blp.transaction
    def post(self, person_id: int, message_id: int, *, principal, ctx):
        """Mark one message read"""
        reading.mark_read(ctx, principal, person_id, message_id)


@blp.route("/<int:person_id>/read-all")
class ReadAll(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, MarkedSchema)
    @blp.transaction
    def post(self, person_id: int, *, principal, ctx):
        """Mark every message read"""
        return reading.mark_all_read(ctx, principal, person_id)
