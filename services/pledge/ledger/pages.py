"""``GET /board/{org_id}``: the intranet page of the ledger (server-rendered, Chinese, phone and big screen).

Published content needs no login when ``settings.board_public`` (the default); otherwise a bearer token.
"""

from __future__ import annotations

from datetime import date
from itertools import islice

from flask import Blueprint, Response, current_app, request
from jinja2 import Environment, PackageLoader, select_autoescape

from services.pledge.app import service
from services.pledge.directory.orgs import get_org
from services.pledge.ledger import queries as ledger
from shared.auth import require

board = Blueprint("board", __name__)
templates = Environment(loader=PackageLoader("services.pledge.ledger", "templates"), autoescape=select_autoescape())
MAX_ROWS = 300


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    return {
        "count": n,
        "completion": round(100 * sum(r["completion"] for r in rows) / n) if n else 0,
        "overdue": sum(1 for r in rows if r["overdue"]),
        "exemplars": sum(1 for r in rows if r["exemplar"]),
        "closed": sum(1 for r in rows if r["state"] == "closed"),
    }


@board.route("/board/<int:org_id>")
def show(org_id: int) -> Response:
    if not current_app.config["XIANFENG_SETTINGS"].board_public:
        require("admin", "org_admin", "member", "system")
    today = date.today()
    refresh = request.args.get("refresh", type=int)
    with service.db.session() as s:
        org = get_org(s, org_id)
        rows = list(islice(ledger.ledger_rows(s, org, {}, today), MAX_ROWS))
        total = ledger.ledger_page(s, org_id, {"page": 1, "page_size": 1}, today)["total"]
    html = templates.get_template("board.html").render(
        org=org, rows=rows, total=total, summary=summary(rows), today=today,
        refresh=refresh if refresh and refresh >= 10 else None,
    )
    return Response(html, mimetype="text/html")
