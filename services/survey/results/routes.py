"""HTTP endpoints of a round's results (nested under ``rounds``): the list or a workbook, org summaries."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from services.survey.results import mine, reading
from services.survey.results.schemas import (
    MyResultQueryArgsSchema,
    MyResultSchema,
    ResultQueryArgsSchema,
    ResultSchema,
    SummaryListSchema,
    SummaryQueryArgsSchema,
)
from services.survey.results.workbook import XLSX, workbook
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

blp = Blueprint("results", __name__, description="测评结果 — a round's results and org summaries")
me_blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="我的测评结果 — a member's own results")


@blp.route("/<int:round_id>/results")
class Results(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.arguments(ResultQueryArgsSchema, location="query")
    @blp.response(200, page_schema(ResultSchema))
    @blp.alt_response(200, description="with ?format=xlsx: a workbook, one sheet per target type",
                      content_type=XLSX, success=True)
    @blp.answers(404, 409)
    @blp.transaction(read_only=True)
    def get(self, args, round_id: int, *, principal, ctx):
        """Results: per target n, dimension means, score, grade, rank; ?format=xlsx"""
        if args["format"] == "xlsx":
            _, items = reading.all_results(ctx.session, principal, round_id, args)
            return Response(workbook(items), mimetype=XLSX, headers={
                "Content-Disposition": f'attachment; filename="round-{round_id}-results.xlsx"'})
        return reading.list_results(ctx.session, principal, round_id, args)


@blp.route("/<int:round_id>/summaries")
class Summaries(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.arguments(SummaryQueryArgsSchema, location="query")
    @blp.response(200, SummaryListSchema)
    @blp.answers(404, 409)
    @blp.transaction(read_only=True)
    def get(self, args, round_id: int, *, principal, ctx):
        """Pooled score per org and target type (withheld when it would reveal a suppressed target)"""
        return {"items": reading.summaries(ctx.session, principal, round_id, args.get("org_id"))}


@me_blp.route("/results")
class MyResults(MethodView):
    @me_blp.authorize("member")
    @me_blp.arguments(MyResultQueryArgsSchema, location="query")
    @me_blp.response(200, page_schema(MyResultSchema))
    @me_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """My results: the rows about me (四强) and my own pledges (评诺), newest round first"""
        return mine.my_results(ctx.session, principal, args)
