"""``/pledges/{id}?grant=…``: the page a pledge notification opens in a browser, with no header.

The grant (``linking.pledge_link``) names the pledge and the person it was sent to; the page shows the pledge
as that person sees it, and to a reviewer of a submitted pledge the review form (审诺: approve or return, with
a comment).  The form is a plain POST back to the same address (no JavaScript), through the same use case
and the same rules as ``POST /api/v1/pledges/{id}/review``.  A missing, altered, expired or foreign grant
gets a page that says so, with its status, never a 500.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from jinja2 import Environment, PackageLoader, select_autoescape

from services.pledge.pledges import actions, linking, views
from shared.errors import ApiError, Conflict, Forbidden, NotFound, Unauthorized
from shared.links import GRANT
from shared.web.blueprint import current_service

templates = Environment(loader=PackageLoader("services.pledge.pledges", "templates"), autoescape=select_autoescape())
blp = Blueprint("pledge_pages", __name__)

STATE_LABELS = {"draft": "草稿", "submitted": "待审核", "approved": "已审核，待公开", "returned": "已退回修改",
                "published": "践诺中", "closed": "已结束", "withdrawn": "已撤回"}
DECISIONS = {"approve": "审核通过", "return": "退回修改"}
REFUSALS = {
    "token_expired": ("链接已过期", "这个链接已过期。请登录系统查看这项承诺。"),
    Unauthorized: ("链接无效", "链接不完整或已被改动。请从通知中重新打开完整的链接。"),
    Forbidden: ("无权查看", "这个链接不能打开这项承诺。"),
    NotFound: ("未找到", "没有这项承诺。"),
}
HEADERS = {"Cache-Control": "private, no-store"}


def refusal(error: ApiError) -> Response:
    title, text = REFUSALS.get(error.key) or next(
        (v for k, v in REFUSALS.items() if isinstance(k, type) and isinstance(error, k)), ("无法打开", "请求有误。"))
    html = templates.get_template("refusal.html").render(title=title, text=text, error=error.key)
    return Response(html, status=error.status, mimetype="text/html", headers=HEADERS)


def _render(page: dict, grant: str, status: int = 200, notice: str | None = None, error: str | None = None):
    settings = current_app.config["XIANFENG_SETTINGS"]
    pledge = page["pledge"]
    board = linking.board_link(settings, pledge["org_id"], pledge["id"]) if page["on_board"] else None
    html = templates.get_template("pledge.html").render(
        title=f"{pledge['title']} · 承诺", p=pledge, state=STATE_LABELS.get(pledge["state"], pledge["state"]),
        reviewable=page["reviewable"],
        board=board, grant=grant, grant_field=GRANT, decisions=DECISIONS, notice=notice, error=error,
        comment=request.form.get("comment", ""), decision=request.form.get("decision"))
    return Response(html, status=status, mimetype="text/html", headers=HEADERS)


def _page(pledge_id: int, grant: str | None) -> dict:
    with current_service().unit_of_work(read_only=True) as ctx:
        return views.page_view(ctx, linking.grantee(ctx.settings, pledge_id, grant), pledge_id)


@blp.get("/pledges/<int:pledge_id>")
def pledge_page(pledge_id: int):
    grant = request.args.get(GRANT)
    try:
        return _render(_page(pledge_id, grant), grant)
    except ApiError as error:
        return refusal(error)


@blp.post("/pledges/<int:pledge_id>")
def review_form(pledge_id: int):
    """The review form's plain POST: the grant travels in a hidden field, the decision and comment beside it."""
    grant = request.form.get(GRANT) or request.args.get(GRANT)
    decision, comment = request.form.get("decision"), request.form.get("comment", "").strip()
    try:
        if decision not in DECISIONS or len(comment) > 2000:
            wrong = "请选择审核意见（通过或退回）。" if decision not in DECISIONS else "意见不超过 2000 字。"
            return _render(_page(pledge_id, grant), grant, 422, error=wrong)
        try:
            with current_service().unit_of_work() as ctx:
                principal = linking.grantee(ctx.settings, pledge_id, grant)
                actions.review(ctx, principal, pledge_id, {"decision": decision, "comment": comment or None})
        except Conflict:
            return _render(_page(pledge_id, grant), grant, 409, error="这项承诺已不在待审核状态，无需再审。")
        return _render(_page(pledge_id, grant), grant, notice=f"已提交：{DECISIONS[decision]}。")
    except ApiError as error:
        return refusal(error)


BLUEPRINTS = (blp,)
