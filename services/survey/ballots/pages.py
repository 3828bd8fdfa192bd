"""The ballot for a phone: ``/b/<token>``, server-rendered, no JavaScript.

The ballot shows one target per screen.  Answers given on earlier screens travel in hidden fields of
the form — nothing is kept on the server until the final submission, which is the same use case as
``POST /api/v1/ballots/<token>``.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from services.survey.ballots import reading, submission
from services.survey.rounds.domain.invitations import local_time
from services.survey.rounds.domain.rules import dimension_labels
from shared.errors import ApiError, Conflict, NotFound, ValidationFailed
from shared.web.blueprint import current_service

# this context's pages, then the service's page shell (base.html)
templates = Environment(loader=ChoiceLoader([PackageLoader("services.survey.ballots", "templates"),
                                             PackageLoader("services.survey", "templates")]),
                        autoescape=select_autoescape())
blp = Blueprint("ballot_pages", __name__)

MESSAGES = {
    "thanks": ("感谢参与", "您的评价已提交。答卷不与您的身份关联，任何人都无法查看您的作答。", 200),
    "used": ("选票已使用", "这张选票已经提交过，每张选票只能提交一次。", 409),
    "closed": ("测评已结束", "本轮测评已截止或尚未开始，无法再提交。", 409),
    "unknown": ("链接无效", "未找到这张选票，请检查链接是否完整。", 404),
}


def render(name: str, status: int = 200, **context) -> Response:
    html = templates.get_template(name).render(**context)
    return Response(html, status=status, mimetype="text/html")


def message(kind: str) -> Response:
    title, text, status = MESSAGES[kind]
    return render("message.html", status, title=title, text=text)


def failure(error: ApiError) -> Response:
    if isinstance(error, NotFound):
        return message("unknown")
    if isinstance(error, Conflict) and error.key == "ballot_used":
        return message("used")
    return message("closed")


def _answers(form) -> dict[tuple[int, str], int]:
    got: dict[tuple[int, str], int] = {}
    for name, value in form.items():
        parts = name.split("-", 2)
        if len(parts) == 3 and parts[0] == "a" and parts[1].isdigit() and value.isdigit():
            got[(int(parts[1]), parts[2])] = int(value)
    return got


def _screen(token: str, ballot: dict, step: int, answers: dict, error: str | None = None) -> Response:
    labels = {d["key"]: d["label"] for d in dimension_labels()}
    scale = [(int(v), text) for v, text in ballot["scale"]["labels"].items()]
    carried = [(f"a-{i}-{d}", v) for (i, d), v in sorted(answers.items()) if i != step]
    closes = local_time(ballot["closes_at"], current_app.config["XIANFENG_SETTINGS"].zone)
    return render("ballot.html", 422 if error else 200, ballot=ballot, step=step, target=ballot["targets"][step],
                  answers=answers, carried=carried, labels=labels, scale=scale, error=error,
                  closes=closes, action=f"/b/{token}", title=ballot["title"])


def _ballot(token: str) -> dict | Response:
    """The ballot, or the page that says why it cannot be answered (unknown, used, closed)."""
    try:
        with current_service().unit_of_work(read_only=True) as ctx:
            return reading.read(ctx.session, token)
    except ApiError as error:
        return failure(error)


@blp.get("/b/<token>")
def ballot_page(token: str):
    ballot = _ballot(token)
    return ballot if isinstance(ballot, Response) else _screen(token, ballot, 0, {})


@blp.post("/b/<token>")
def ballot_form(token: str):
    ballot = _ballot(token)
    if isinstance(ballot, Response):
        return ballot
    count = len(ballot["targets"])
    raw_step = request.form.get("step", "0")
    step = min(int(raw_step), count - 1) if raw_step.isdigit() else 0
    answers = {k: v for k, v in _answers(request.form).items() if k[0] < count}
    go = request.form.get("go", "next")
    if go == "prev":
        return _screen(token, ballot, max(step - 1, 0), answers)
    missing = [d for d in ballot["targets"][step]["dimensions"] if (step, d) not in answers]
    if missing and not ballot["allow_partial"]:
        return _screen(token, ballot, step, answers, error="请为每一项选择评价后继续。")
    if go != "submit" or step + 1 < count:
        return _screen(token, ballot, min(step + 1, count - 1), answers)
    return _submit(token, ballot, answers)


def _submit(token: str, ballot: dict, answers: dict) -> Response:
    targets = ballot["targets"]
    payload = [{"target_type": targets[i]["target_type"], "target_id": targets[i]["target_id"], "dimension": d,
                "score": v} for (i, d), v in sorted(answers.items())]
    if not payload:
        return _screen(token, ballot, len(targets) - 1, answers, error="请至少评价一项后再提交。")
    try:
        service = current_service()
        submission.submit_once(service.db, service.unit_of_work, token, payload)
    except ValidationFailed:
        return _screen(token, ballot, len(targets) - 1, answers, error="提交的内容有误，请检查后重试。")
    except ApiError as error:
        return failure(error)
    return message("thanks")
