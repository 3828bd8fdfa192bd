"""HTTP endpoints of suggestions (征求意见)."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.suggestions import answering, reading, submitting
from services.pledge.suggestions import schemas as s
from shared.idempotency import coarse_time
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

READERS = ("admin", "org_admin", "member")  # a member only as a secretary of the org

blp = Blueprint("suggestions", __name__, url_prefix="/api/v1/suggestions",
                description="征求意见 — employees' suggestions, anonymous or signed, and the pledges that answer them")


@blp.route("")
class Suggestions(MethodView):
    @blp.authorize(*READERS)
    @blp.arguments(s.SuggestionQueryArgsSchema, location="query")
    @blp.response(200, page_schema(s.SuggestionSchema))
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """An org's suggestions (?org_id=&subtree=1&state=) for its secretaries and admins; ?mine=1: your signed ones"""
        return reading.list_suggestions(ctx.session, principal, args)

    @blp.authorize(*READERS)  # a person's own member token only: the use case refuses any other caller
    @blp.arguments(s.SuggestionCreateSchema)
    @blp.response(201, s.SuggestionSchema)
    @blp.answers(422)
    @blp.transaction
    def post(self, data, *, principal, ctx):
        """Submit a suggestion to your org or one above it (anonymous: no author is stored)"""
        coarse_time()  # an Idempotency-Key record of this request keeps the day, not the instant
        return submitting.submit(ctx, principal, data)


@blp.route("/<suggestion_id>")
class SuggestionById(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, s.SuggestionSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, suggestion_id: str, *, principal, ctx):
        """One suggestion with the pledges that answer it (its secretaries and admins, or the author of a signed one)"""
        return reading.get_suggestion(ctx.session, principal, suggestion_id)


@blp.route("/<suggestion_id>/answer")
class SuggestionAnswer(MethodView):
    @blp.authorize(*READERS)
    @blp.arguments(s.SuggestionAnswerSchema)
    @blp.response(200, s.SuggestionSchema)
    @blp.answers(404, 409)
    @blp.transaction
    def post(self, data, suggestion_id: str, *, principal, ctx):
        """Answer (with a reply) or decline (with a reason) an open suggestion"""
        return answering.answer(ctx, principal, suggestion_id, data)


BLUEPRINTS = (blp,)
