"""``GET /board/{org_id}``: the workplace board of the pledges published to ``board`` (server-rendered,
Chinese, phone and big screen), ``?page=`` of its cards and ``?state=`` (published, overdue, revising,
closed, exemplar).

Published content needs no login when ``settings.board_public`` (the default); otherwise a bearer token.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from jinja2 import Environment, PackageLoader, select_autoescape

from services.pledge.daily_work import board as daily_work
from services.pledge.directory.lookups import get_org
from services.pledge.ledger import queries
from services.pledge.ledger.domain.board import STATE_FILTERS, page_links, refresh_seconds
from shared.auth import require
from shared.errors import ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.web.blueprint import current_service

board = Blueprint("board", __name__)
templates = Environment(loader=PackageLoader("services.pledge.ledger", "templates"), autoescape=select_autoescape())


@board.route("/board/<int:org_id>")
def show(org_id: int) -> Response:
    if not current_app.config["XIANFENG_SETTINGS"].board_public:
        require("admin", "org_admin", "member", "system")
    state = request.args.get("state") or None
    if state is not None and state not in STATE_FILTERS:
        raise ValidationFailed(errors=field_errors(state=bilingual("未知的状态", "unknown state")))
    number = request.args.get("page", default=1, type=int)
    with current_service().unit_of_work(read_only=True) as ctx:
        page = queries.board(ctx, org_id, page=number if number and number > 0 else 1, state=state)
    html = templates.get_template("board.html").render(
        **page, refresh=refresh_seconds(request.args.get("refresh", type=int)), filters=STATE_FILTERS,
        links=page_links(page["page"], page["pages"]))
    return Response(html, mimetype="text/html")


@board.route("/board/<int:org_id>/photos/<int:person_id>")
def photo(org_id: int, person_id: int) -> Response:
    """照片上墙: the photo of a person the board shows (a zone holder, a post on duty); 404 for anyone else."""
    if not current_app.config["XIANFENG_SETTINGS"].board_public:
        require("admin", "org_admin", "member", "system")
    with current_service().unit_of_work(read_only=True) as ctx:
        body = daily_work.photo(ctx.session, get_org(ctx.session, org_id), ctx.today(), person_id)
    return Response(body, mimetype="image/jpeg", headers={"Cache-Control": "public, max-age=300"})


BLUEPRINTS = (board,)
