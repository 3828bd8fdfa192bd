"""The scorecards as a page: ``/scorecards?year=&org_id=&kind=``, in the caller's scope (Bearer token)."""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, Response, request
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from services.survey.scorecards import configuring, reading
from services.survey.scorecards.domain.composition import PART_LABELS, PARTS
from services.survey.scorecards.schemas import ScorecardQueryArgsSchema
from services.survey.scorecards.workbook import SHEETS
from shared.auth import require
from shared.errors import ValidationFailed
from shared.web.blueprint import current_service

templates = Environment(loader=ChoiceLoader([PackageLoader("services.survey.scorecards", "templates"),
                                             PackageLoader("services.survey", "templates")]),
                        autoescape=select_autoescape())
blp = Blueprint("scorecard_pages", __name__)


@blp.get("/scorecards")
def scorecards_page():
    """A year's 四好 scorecards, one table per kind, ranked (caller's scope; Bearer token)."""
    principal = require("org_admin", "system")
    try:
        args = ScorecardQueryArgsSchema().load(request.args)
    except ma.ValidationError as error:
        raise ValidationFailed(errors=error.normalized_messages()) from None
    with current_service().unit_of_work(read_only=True) as ctx:
        year = args.get("year") or ctx.today().year
        items = reading.all_scorecards(ctx.session, principal, args, year)
        weights = configuring.read(ctx.session, year)["weights"]
    html = templates.get_template("scorecards.html").render(
        year=year, items=items, parts=PARTS, labels=PART_LABELS, weights=weights, sheets=SHEETS,
        title=f"{year} 年度四好领导班子考评")
    return Response(html, status=200, mimetype="text/html")
