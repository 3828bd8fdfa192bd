"""HTTP endpoints of the 四好 scorecards: a year's list (JSON or a workbook) and the year's settings."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from services.survey.scorecards import configuring, reading
from services.survey.scorecards.schemas import (
    ScorecardQueryArgsSchema,
    ScorecardSchema,
    ScorecardSettingsInSchema,
    ScorecardSettingsSchema,
)
from services.survey.scorecards.workbook import XLSX, workbook
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

blp = Blueprint("scorecards", __name__, url_prefix="/api/v1/scorecards",
                description="四好领导班子 — yearly scorecards of committees and branches")


@blp.route("")
class Scorecards(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.arguments(ScorecardQueryArgsSchema, location="query")
    @blp.response(200, page_schema(ScorecardSchema))
    @blp.alt_response(200, description="with ?format=xlsx: a workbook, one sheet per kind", content_type=XLSX,
                      success=True)
    @blp.answers(422)
    @blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """A year's 四好 scorecards: parts, score, grade, ranks; ?format=xlsx"""
        year = args.get("year") or ctx.today().year
        if args["format"] == "xlsx":
            items = reading.all_scorecards(ctx.session, principal, args, year)
            return Response(workbook(items, year), mimetype=XLSX, headers={
                "Content-Disposition": f'attachment; filename="scorecards-{year}.xlsx"'})
        return reading.list_scorecards(ctx.session, principal, args, year)


@blp.route("/settings/<int:year>")
class YearSettings(MethodView):
    @blp.authorize("org_admin", "system")
    @blp.response(200, ScorecardSettingsSchema)
    @blp.answers(422)
    @blp.transaction(read_only=True)
    def get(self, year: int, *, principal, ctx):
        """A year's weights and grade bounds (the defaults until set)"""
        return configuring.read(ctx.session, year)

    @blp.authorize("admin")
    @blp.arguments(ScorecardSettingsInSchema)
    @blp.response(200, ScorecardSettingsSchema)
    @blp.answers(422)
    @blp.transaction
    def put(self, data, year: int, *, principal, ctx):
        """Set a year's weights and grade bounds; the year's scorecards are recomputed"""
        return configuring.put(ctx, year, data)
