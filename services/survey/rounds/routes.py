"""HTTP endpoints of the survey service (thin: schema in, one use case, schema out)."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.views import MethodView
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from services.survey.app import service
from services.survey.ballots import reading as ballots
from services.survey.ballots.pages import pages
from services.survey.directory.models import directory
from services.survey.results import reading as results
from services.survey.rounds import actions as rounds
from services.survey.rounds import schemas as s
from shared.auth import require
from shared.db import utcnow
from shared.directory import status_blueprint
from shared.pagination import page_schema
from shared.web import Api

rounds_blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds",
                       description="测评轮次 — 三测评 and 评诺 rounds, progress and results")
ballots_blp = Blueprint("ballots", __name__, url_prefix="/api/v1/ballots",
                        description="选票 — anonymous one-time ballots (the token is the credential)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@rounds_blp.route("")
class Rounds(MethodView):
    @rounds_blp.arguments(s.RoundCreateSchema)
    @rounds_blp.response(201, s.RoundSchema)
    def post(self, data):
        """Create a round (draft)"""
        principal = require("org_admin")
        with service.db.session() as session:
            return rounds.create_round(session, principal, data, utcnow())


@rounds_blp.route("/<int:round_id>")
class RoundById(MethodView):
    @rounds_blp.response(200, s.RoundSchema)
    def get(self, round_id: int):
        """One round"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            return rounds.read_round(session, principal, round_id)


@rounds_blp.route("/<int:round_id>/open")
class OpenRound(MethodView):
    @rounds_blp.response(200, s.RoundSchema)
    def post(self, round_id: int):
        """Open a round: issue the ballots and invite every holder"""
        principal = require("org_admin")
        with service.db.session() as session:
            return rounds.open_round(session, principal, round_id, utcnow())


@rounds_blp.route("/<int:round_id>/close")
class CloseRound(MethodView):
    @rounds_blp.response(200, s.RoundSchema)
    def post(self, round_id: int):
        """Close a round; its aggregation is queued"""
        principal = require("org_admin")
        with service.db.session() as session:
            return rounds.close_round(session, principal, round_id, utcnow())


@rounds_blp.route("/<int:round_id>/aggregate")
class AggregateRound(MethodView):
    @rounds_blp.response(202, s.RoundSchema)
    def post(self, round_id: int):
        """Compute the results again (same answers, same results)"""
        principal = require("org_admin")
        with service.db.session() as session:
            return rounds.request_aggregation(session, principal, round_id)


@rounds_blp.route("/<int:round_id>/progress")
class Progress(MethodView):
    @rounds_blp.response(200, s.ProgressSchema)
    def get(self, round_id: int):
        """Ballots issued and used, per org"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            return rounds.progress(session, principal, round_id)


@rounds_blp.route("/<int:round_id>/results")
class Results(MethodView):
    @rounds_blp.arguments(s.ResultQueryArgsSchema, location="query")
    @rounds_blp.response(200, page_schema(s.ResultSchema))
    @rounds_blp.alt_response(200, description="with ?format=xlsx: a workbook, one sheet per target type",
                             content_type=XLSX, success=True)
    def get(self, args, round_id: int):
        """Results: per target n, dimension means, score, grade, rank; ?format=xlsx"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            if args["format"] == "xlsx":
                _, items = results.all_results(session, principal, round_id, args)
                return Response(results.workbook(items), mimetype=XLSX, headers={
                    "Content-Disposition": f'attachment; filename="round-{round_id}-results.xlsx"'})
            return results.list_results(session, principal, round_id, args)


@rounds_blp.route("/<int:round_id>/summaries")
class Summaries(MethodView):
    @rounds_blp.arguments(s.SummaryQueryArgsSchema, location="query")
    @rounds_blp.response(200, s.SummaryListSchema)
    def get(self, args, round_id: int):
        """Pooled score per org and target type (withheld when it would reveal a suppressed target)"""
        principal = require("org_admin", "system")
        with service.db.session() as session:
            return {"items": results.summaries(session, principal, round_id, args.get("org_id"))}


@ballots_blp.route("/<token>")
class BallotByToken(MethodView):
    @ballots_blp.response(200, s.BallotSchema)
    @ballots_blp.doc(security=[])
    def get(self, token: str):
        """A ballot: its targets, their dimensions and the scale"""
        with service.db.reading() as session:
            return ballots.read(session, token)

    @ballots_blp.arguments(s.SubmissionSchema)
    @ballots_blp.response(201, s.SubmittedSchema)
    @ballots_blp.doc(security=[])
    def post(self, data, token: str):
        """Submit a ballot once (answers are stored without any link to the ballot or the person)"""
        with service.db.session() as session:
            return ballots.submit(session, token, data["answers"])


def _token_key() -> str:
    return (request.view_args or {}).get("token", "") or get_remote_address()


def rate_limit(app: Flask) -> Limiter:
    """flask-limiter on every ballot endpoint: per client address and per token (429 in the error shape)."""
    settings = app.config["XIANFENG_SETTINGS"]
    limiter = Limiter(get_remote_address, app=app, storage_uri=settings.survey_rate_limit_storage,
                      default_limits=[], enabled=settings.survey_rate_limit_enabled, headers_enabled=True)
    for blp in (ballots_blp, pages):
        limiter.limit(settings.survey_ballot_rate_limit)(blp)
        limiter.limit(settings.survey_ballot_token_rate_limit, key_func=_token_key)(blp)
    return limiter


def register(app: Flask, api: Api) -> None:
    api.register_blueprint(status_blueprint(directory))
    api.register_blueprint(rounds_blp)
    api.register_blueprint(ballots_blp)
    app.register_blueprint(pages)
    app.extensions["survey_limiter"] = rate_limit(app)
