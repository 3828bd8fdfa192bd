"""The results page of a round: one SVG chart per org and the table, laid out for a wide screen, a phone
and print.  Opened with a Bearer token (the caller's scope), or with no header from the link of a ``results``
notification: ``?grant=`` signed for that round and the recipient's org, which the page then shows with its
subtree.  A missing, tampered, expired or foreign grant is refused with a page that says so, never a 500."""

from __future__ import annotations

from flask import Blueprint, Response, request
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from services.survey.results import charts, reading
from shared.auth import require
from shared.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized
from shared.i18n import language
from shared.links import GRANT
from shared.web.blueprint import current_service

# this context's pages, then the service's page shell (base.html)
templates = Environment(loader=ChoiceLoader([PackageLoader("services.survey.results", "templates"),
                                             PackageLoader("services.survey", "templates")]),
                        autoescape=select_autoescape())
blp = Blueprint("results_pages", __name__)

# what the refusal page says, in Chinese, or in English with Accept-Language: en
REFUSALS = {
    "token_expired": (("链接已过期", "这个结果链接已过期。请向本单位组织部门索取新的链接，或登录后查看。"),
                      ("Link expired", "This results link has expired. Ask your organisation department for a new "
                       "one, or sign in to see the results.")),
    Unauthorized: (("链接无效", "链接不完整或已被改动，无法打开测评结果。请从通知中重新打开完整的链接。"),
                   ("Invalid link", "The link is incomplete or was altered. Open the whole link from the "
                    "notification again.")),
    Forbidden: (("无权查看", "这个链接不能打开这一轮测评的结果，或它所属的组织已不存在。"),
                ("Not allowed", "This link does not open the results of this round, or its organisation no "
                 "longer exists.")),
    NotFound: (("未找到", "没有这一轮测评。"), ("Not found", "There is no such round.")),
    Conflict: (("结果尚未生成", "本轮测评的结果还在统计中，请稍后再打开。"),
               ("Results not ready", "The results of this round are still being computed; try again later.")),
}
FALLBACK = (("无法打开", "请求有误，无法打开测评结果。"), ("Cannot open", "The request is not valid."))


def refusal(error: ApiError) -> Response:
    """The page a browser shows instead of the results, with the error's status."""
    found = REFUSALS.get(error.key) or next(
        (v for k, v in REFUSALS.items() if isinstance(k, type) and isinstance(error, k)), FALLBACK)
    title, text = found[1] if language() == "en" else found[0]
    html = templates.get_template("refusal.html").render(title=title, text=text, error=error.key)
    return Response(html, status=error.status, mimetype="text/html", headers={"Cache-Control": "no-store"})


@blp.get("/results/<int:round_id>")
def results_page(round_id: int):
    """The results of a round with one chart per org: the grant's org and subtree, or the Bearer caller's scope."""
    try:
        with current_service().unit_of_work(read_only=True) as ctx:
            if GRANT in request.args:
                round_, scope = reading.granted_round(ctx.session, ctx.settings, round_id, request.args[GRANT])
            else:
                round_, scope = reading.readable_round(ctx.session, require("admin", "org_admin", "system"),
                                                       round_id)
            items = reading.results_in(ctx.session, round_, scope, {})
            org_charts = charts.org_charts(ctx.session, round_.id, items, scope)
            scope_name = reading.scope_name(ctx.session, scope)
    except ApiError as error:
        return refusal(error)
    html = templates.get_template("results.html").render(round=round_, items=items, charts=org_charts,
                                                         title=round_.title, scope_name=scope_name)
    return Response(html, status=200, mimetype="text/html",
                    headers={"Cache-Control": "private, no-store"})
