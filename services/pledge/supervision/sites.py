"""Use cases of demonstration sites (示范点): sites, their actions and monthly management evaluations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org
from services.pledge.supervision.access import administered_body_org, readable_org, scoped
from services.pledge.supervision.domain import rules
from services.pledge.supervision.domain.rules import actor, not_after_today
from services.pledge.supervision.models import DemoSite, DemoSiteAction, DemoSiteEvaluation
from services.pledge.supervision.rows import insert_once, person_for_field
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Conflict, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal, require_org


def site_view(site: DemoSite, org: Org) -> dict[str, Any]:
    view = {c: getattr(site, c) for c in ("id", "org_id", "kind", "name", "post_name", "level", "year", "goals",
                                           "created_at")}
    view["org_name"] = org.name
    return view


def create_site(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    session = ctx.session
    org = administered_body_org(session, principal, data["org_id"])
    if data["kind"] == "branch" and org.kind != "branch":
        raise ValidationFailed(errors=field_errors(
            org_id=bilingual("支部示范点须指向一个党支部", "a branch site must name a branch")))
    name = data.get("name") or (data["post_name"] if data["kind"] == "post" else org.name)
    site = DemoSite(org_id=org.id, kind=data["kind"], name=name, post_name=data.get("post_name"),
                    level=data["level"], year=data.get("year") or ctx.today().year, goals=data.get("goals") or {},
                    created_by=actor(principal))
    insert_once(session, site, Conflict("demo_site_exists", name=name))
    return site_view(site, org)


def _site(session: Session, principal: Principal, site_id: int, write: bool = False) -> tuple[DemoSite, Org]:
    site = fetch(session, DemoSite, site_id)
    if site is None:
        raise NotFound()
    org = readable_org(session, principal, site.org_id)
    if write:
        require_org(principal, path_ids(org.path))
    return site, org


def get_site(ctx: Context, principal: Principal, site_id: int) -> dict[str, Any]:
    """The site with its progress on the three lines, the lines lagging behind, and action completion."""
    session = ctx.session
    site, org = _site(session, principal, site_id)
    evaluations = session.execute(
        select(DemoSiteEvaluation.year, DemoSiteEvaluation.month, DemoSiteEvaluation.party_building,
               DemoSiteEvaluation.management, DemoSiteEvaluation.economic)
        .where(DemoSiteEvaluation.site_id == site.id)
    ).mappings().all()
    actions = session.execute(
        select(DemoSiteAction.kind, DemoSiteAction.due_on, DemoSiteAction.done_on)
        .where(DemoSiteAction.site_id == site.id)
    ).mappings().all()
    progress = rules.line_progress(evaluations)
    view = site_view(site, org)
    view["progress"] = {line: asdict(p) for line, p in progress.items()}
    view["lagging_lines"] = rules.lagging_lines(progress)
    completion = rules.action_completion(actions, ctx.today())
    view["actions"] = {kind: {**asdict(c), "rate": c.rate} for kind, c in completion.items()}
    return view


def list_sites(session: Session, principal: Principal, args: dict) -> dict:
    stmt = scoped(session, principal, select(DemoSite, Org).join(Org, Org.id == DemoSite.org_id), args)
    for name in ("level", "kind", "year"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(DemoSite, name) == args[name])
    stmt = stmt.order_by(DemoSite.level.desc(), DemoSite.org_id, DemoSite.id)  # key before general
    page = paginate(session, stmt, args["page"], args["page_size"], scalars=False)
    page["items"] = [site_view(row["DemoSite"], row["Org"]) for row in page["items"]]
    return page


# ---- actions (规定动作 / 自选动作) -------------------------------------------------------------
def add_action(session: Session, principal: Principal, site_id: int, data: dict) -> DemoSiteAction:
    site, _org = _site(session, principal, site_id, write=True)
    action = DemoSiteAction(site_id=site.id, **data)
    session.add(action)
    session.flush()
    return action


def complete_action(ctx: Context, principal: Principal, site_id: int, action_id: int, data: dict) -> DemoSiteAction:
    session = ctx.session
    site, _org = _site(session, principal, site_id, write=True)
    action = fetch(session, DemoSiteAction, action_id)
    if action is None or action.site_id != site.id:
        raise NotFound()
    if action.done_on is not None:
        raise Conflict("action_done", done_on=action.done_on.isoformat())
    not_after_today(data["done_on"], ctx.today(), "done_on")
    action.done_on, action.note = data["done_on"], data.get("note")
    session.flush()
    return action


def list_actions(session: Session, principal: Principal, site_id: int, args: dict) -> dict:
    site, _org = _site(session, principal, site_id)
    stmt = select(DemoSiteAction).where(DemoSiteAction.site_id == site.id)
    for name in ("kind", "line"):
        if args.get(name):
            stmt = stmt.where(getattr(DemoSiteAction, name) == args[name])
    stmt = stmt.order_by(DemoSiteAction.kind.desc(), DemoSiteAction.id)  # prescribed before optional
    return paginate(session, stmt, args["page"], args["page_size"])


# ---- monthly management evaluation (月度专业管理评价) ---------------------------------------------
def add_evaluation(ctx: Context, principal: Principal, site_id: int, data: dict) -> DemoSiteEvaluation:
    session = ctx.session
    site, _org = _site(session, principal, site_id, write=True)
    if rules.is_future_month(data["year"], data["month"], ctx.today()):
        raise ValidationFailed(errors=field_errors(month=bilingual("该月尚未开始", "this month has not begun")))
    person_for_field(session, data.get("evaluator_id"), "evaluator_id")
    evaluation = DemoSiteEvaluation(site_id=site.id, overall=rules.overall_score(data), created_by=actor(principal),
                                    **data)
    conflict = Conflict("evaluation_exists", year=data["year"], month=data["month"])
    return insert_once(session, evaluation, conflict)


def list_evaluations(session: Session, principal: Principal, site_id: int, args: dict) -> dict:
    site, _org = _site(session, principal, site_id)
    stmt = select(DemoSiteEvaluation).where(DemoSiteEvaluation.site_id == site.id)
    if args.get("year") is not None:
        stmt = stmt.where(DemoSiteEvaluation.year == args["year"])
    stmt = stmt.order_by(DemoSiteEvaluation.year.desc(), DemoSiteEvaluation.month.desc())
    return paginate(session, stmt, args["page"], args["page_size"])
