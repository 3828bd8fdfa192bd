"""HTTP endpoints of ballots: public (``security=[]``), the token in the path is the credential.

Both are rate limited per client address and per token (``limits.py``; 429 in the error shape).
"""

from __future__ import annotations

from flask.views import MethodView

from services.survey.ballots import reading, submission
from services.survey.ballots.schemas import BallotSchema, SubmissionSchema, SubmittedSchema
from shared.web.blueprint import Blueprint, current_service

blp = Blueprint("ballots", __name__, url_prefix="/api/v1/ballots",
                description="选票 — anonymous one-time ballots (the token is the credential)")


@blp.route("/<token>")
class BallotByToken(MethodView):
    @blp.response(200, BallotSchema)
    @blp.doc(security=[])
    @blp.answers(404, 409, 429)
    @blp.transaction(read_only=True)
    def get(self, token: str, *, ctx):
        """A ballot: its targets, their dimensions and the scale"""
        return reading.read(ctx.session, token)

    @blp.arguments(SubmissionSchema)
    @blp.response(201, SubmittedSchema)
    @blp.doc(security=[])
    @blp.answers(404, 409, 429)
    def post(self, data, token: str):
        """Submit a ballot once (answers are stored without any link to the ballot or the person)"""
        service = current_service()  # its own statements: one autocommitted claim on PostgreSQL
        return submission.submit_once(service.db, service.unit_of_work, token, data["answers"])
