"""Reading results: the list (with roll-up filters), org summaries and the spreadsheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.survey.directory.models import directory
from services.survey.results import charts
from services.survey.results.models import OrgSummary, Result
from services.survey.rounds.access import org_path, view_scope
from services.survey.rounds.actions import get_round, used_count
from services.survey.rounds.domain.rules import DIMENSIONS, TARGET_TYPE_LABELS, TARGET_TYPES
from services.survey.rounds.models import Ballot, Round, RoundTarget
from shared.auth import Principal
from shared.errors import Conflict, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import page_of


def readable_round(session: Session, principal: Principal, round_id: int) -> tuple[Round, str | None]:
    """The round if its results are ready, and the org path the caller may read (None: all)."""
    round_ = get_round(session, round_id)
    scope = view_scope(session, principal, round_)
    if round_.state != "results_ready":
        raise Conflict("results_not_ready", state=round_.state, errors={"state": [round_.state]})
    return round_, scope


def _filter_path(session: Session, scope: str | None, org_id: int | None) -> str | None:
    """The narrower of the caller's scope and the requested org's subtree."""
    if org_id is None:
        return scope
    path = org_path(session, org_id)
    if path is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
    if scope is not None and not path.startswith(scope):
        raise NotFound()
    return path


def _query(round_id: int, path: str | None, target_type: str | None) -> Select:
    stmt = (select(Result, RoundTarget).join(RoundTarget, RoundTarget.id == Result.target_ref)
            .where(Result.round_id == round_id)
            .order_by(RoundTarget.target_type, RoundTarget.org_path, Result.rank_in_org.is_(None),
                      Result.rank_in_org, RoundTarget.target_id))
    if path is not None:
        stmt = stmt.where(RoundTarget.org_path.startswith(path))
    if target_type:
        stmt = stmt.where(RoundTarget.target_type == target_type)
    return stmt


def item(result: Result, target: RoundTarget) -> dict:
    return {
        "target_type": target.target_type, "target_id": target.target_id, "name": target.name,
        "org_id": target.org_id, "n": result.n, "dimensions": result.dimensions or {}, "parts": result.parts,
        "score": None if result.score is None else round(result.score, 1), "grade": result.grade,
        "rank": result.rank_in_org, "rank_in_round": result.rank_in_round, "suppressed": result.suppressed,
    }


def list_results(session: Session, principal: Principal, round_id: int, args: dict) -> dict:
    round_, scope = readable_round(session, principal, round_id)
    path = _filter_path(session, scope, args.get("org_id"))
    stmt = _query(round_.id, path, args.get("target_type"))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page, size = args["page"], args["page_size"]
    rows = session.execute(stmt.limit(size).offset((page - 1) * size)).all()
    return page_of([item(r, t) for r, t in rows], total, page, size)


def all_results(session: Session, principal: Principal, round_id: int, args: dict) -> tuple[Round, list[dict]]:
    round_, scope = readable_round(session, principal, round_id)
    path = _filter_path(session, scope, args.get("org_id"))
    return round_, [item(r, t) for r, t in session.execute(_query(round_.id, path, args.get("target_type")))]


def summaries(session: Session, principal: Principal, round_id: int, org_id: int | None = None) -> list[dict]:
    round_, scope = readable_round(session, principal, round_id)
    path = _filter_path(session, scope, org_id)
    stmt = select(OrgSummary).where(OrgSummary.round_id == round_.id).order_by(OrgSummary.org_path,
                                                                              OrgSummary.target_type)
    if path is not None:
        stmt = stmt.where(OrgSummary.org_path.startswith(path))
    return [{"org_id": s.org_id, "target_type": s.target_type, "targets": s.targets, "ratings": s.ratings,
             "score": None if s.score is None else round(s.score, 1), "suppressed": s.suppressed}
            for s in session.scalars(stmt)]


def workbook(items: list[dict]) -> bytes:
    """One sheet per target type: name, org, n, each dimension, score, grade, ranks."""
    book = Workbook()
    book.remove(book.active)
    for target_type in TARGET_TYPES:
        rows = [i for i in items if i["target_type"] == target_type]
        if not rows:
            continue
        sheet = book.create_sheet(TARGET_TYPE_LABELS[target_type])
        dims = DIMENSIONS[target_type]
        sheet.append(["对象编号", "名称", "所属组织", "评价人数", *[label for _, label in dims], "得分", "等级",
                      "组织内排名", "全轮排名", "不公布"])
        for r in rows:
            means = [None if r["suppressed"] else round(r["dimensions"].get(k, 0), 2) for k, _ in dims]
            sheet.append([r["target_id"], r["name"], r["org_id"], r["n"], *means, r["score"], r["grade"],
                          r["rank"], r["rank_in_round"], "是" if r["suppressed"] else ""])
    if not book.sheetnames:
        book.create_sheet("结果")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def org_charts(session: Session, round_id: int, items: list[dict], scope: str | None) -> list[dict]:
    """Per org that ranks targets: its published scores and the response rate of its subtree."""
    o = directory.orgs
    orgs = session.execute(select(RoundTarget.org_id, RoundTarget.org_path, o.c.name).distinct()
                           .join(o, o.c.id == RoundTarget.org_id, isouter=True)
                           .where(RoundTarget.round_id == round_id).order_by(RoundTarget.org_path)).all()
    by_path = session.execute(select(Ballot.org_path, func.count(), used_count())
                              .where(Ballot.round_id == round_id).group_by(Ballot.org_path)).all()
    out = []
    for org_id, path, name in orgs:
        if scope is not None and not path.startswith(scope):
            continue
        scores = [i["score"] for i in items if i["org_id"] == org_id and i["score"] is not None]
        issued = sum(n for p, n, _ in by_path if p.startswith(path))
        used = sum(int(u or 0) for p, _, u in by_path if p.startswith(path))
        out.append({"org_id": org_id, "svg": charts.org_chart(name or str(org_id), scores, issued, used)})
    return out
