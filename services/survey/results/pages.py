"""The results page of a round: one SVG chart per org and the table, in the caller's scope (Bearer token)."""

from __future__ import annotations

from flask import Blueprint, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from services.survey.results import charts, reading
from shared.auth import require
from shared.web.blueprint import current_service

# this context's pages, then the service's page shell (base.html)
templates = Environment(loader=ChoiceLoader([PackageLoader("services.survey.results", "templates"),
                                             PackageLoader("services.survey", "templates")]),
                        autoescape=select_autoescape())
blp = Blueprint("results_pages", __name__)


@blp.get("/results/<int:round_id>")
def results_page(round_id: int):
    """The results of a round with one chart per org (caller's scope; Bearer token)."""
    principal = require("admin", "org_admin", "system")
    with current_service().unit_of_work(read_only=True) as ctx:
        round_, items = reading.all_results(ctx.session, principal, round_id, {})
        scope = reading.readable_round(ctx.session, principal, round_id)[1]
        org_charts = charts.org_charts(ctx.session, round_.id, items, scope)
    html = templates.get_template("results.html").render(round=round_, items=items, charts=org_charts,
                                                         title=round_.title)
    return Response(html, status=200, mimetype="text/html")
