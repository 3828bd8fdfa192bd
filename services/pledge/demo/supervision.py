"""Demo supervision data on top of the demo group (``xianfeng seed-demo``), idempotent.

From the article: 转炉厂党委 chose five key (重点) and three general (一般) demonstration sites among
its eight branches, advancing party building, management and economic results together, with
prescribed and optional actions and a monthly management evaluation; the leaders of both levels
keep contact points (联系点) in the grassroots and visit them; last October the group committee
visited 34 branches unannounced (调研未事先通知) and commented on them (点评).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.models import Org, Person
from services.pledge.supervision.domain import rules
from services.pledge.supervision.models import (
    ContactPoint,
    ContactVisit,
    DemoSite,
    DemoSiteAction,
    DemoSiteEvaluation,
    Inspection,
    QuarterlyComment,
)

SEED_ACTOR = "seed-demo"
KEY_SITES, GENERAL_SITES = 5, 3
POSTS = ("转炉炉长岗", "连铸操作岗", "精炼工岗", "设备点检岗", "质量检验岗", "调度岗", "安全员岗", "天车工岗")
GOALS = {
    "party_building": "支部标准化建设，“一个党员一面旗”，承诺公开上墙",
    "management": "深化管理升级：规范管理、精细管理、自主管理",
    "economic": "对标行业先进，降低工序成本与吨钢能耗",
}
PRESCRIBED = (("party_building", "“三会一课”按期召开"), ("party_building", "党员承诺公开上墙"),
              ("management", "“回头看”查找薄弱环节"))
OPTIONAL = (("management", "党员先锋岗挂牌上岗"), ("economic", "党员“一助一”业务技能帮带"))
LEADER_ROLES = {"secretary", "deputy_secretary", "leader", "committee_member", "director"}
INSPECTED_BRANCHES = 34
ROOT_CODE = "HG"  # the seeded group's root (demo/seed.py): everything here stays in its subtree


def seed(session: Session, today: date, root_code: str = ROOT_CODE) -> dict[str, Any]:
    """Add what is missing under the seeded root (org ``root_code``); running it again adds nothing.  Orgs and
    people outside that subtree (made by hand, or by ``xianfeng demo``) are never touched."""
    counts = {"demo_sites": 0, "actions": 0, "evaluations": 0, "contact_points": 0, "visits": 0,
              "inspections": 0, "comments": 0}
    root = session.execute(select(Org).where(Org.code == root_code)).scalar()
    if root is None:
        return counts
    converter = session.execute(select(Org).where(Org.kind == "committee", Org.name.contains("转炉厂"),
                                                  Org.path.startswith(root.path)).order_by(Org.id)).scalars().first()
    if converter is not None:
        _seed_demo_sites(session, converter, today, counts)
    _seed_contact_points(session, root, today, counts)
    _seed_unannounced_inspections(session, root, today, counts)
    session.flush()
    return counts


# ---- demonstration sites ---------------------------------------------------------------------
def _branches_under(session: Session, org: Org) -> list[Org]:
    stmt = select(Org).where(Org.kind == "branch", Org.path.startswith(org.path)).order_by(Org.id)
    return list(session.execute(stmt).scalars())


def _site_plan(branches: list[Org]) -> list[tuple[Org, str, str | None]]:
    """Eight sites: one per branch (5 key, 3 general); with fewer branches, posts fill the rest."""
    plan: list[tuple[Org, str, str | None]] = []
    for i in range(KEY_SITES + GENERAL_SITES):
        level = "key" if i < KEY_SITES else "general"
        if i < len(branches):
            plan.append((branches[i], level, None))
        elif branches:
            plan.append((branches[i % len(branches)], level, POSTS[i]))
    return plan


def _seed_demo_sites(session: Session, converter: Org, today: date, counts: dict[str, int]) -> None:
    for index, (org, level, post) in enumerate(_site_plan(_branches_under(session, converter))):
        name = post or org.name
        site = session.execute(select(DemoSite).where(DemoSite.org_id == org.id, DemoSite.name == name)).scalar()
        if site is None:
            site = DemoSite(org_id=org.id, kind="post" if post else "branch", name=name, post_name=post, level=level,
                            year=today.year, goals=dict(GOALS), created_by=SEED_ACTOR)
            session.add(site)
            session.flush()
            counts["demo_sites"] += 1
            counts["actions"] += _add_actions(session, site, index, today)
        counts["evaluations"] += _add_evaluations(session, site, index, today)


def _add_actions(session: Session, site: DemoSite, index: int, today: date) -> int:
    actions = [("prescribed", line, title) for line, title in PRESCRIBED]
    actions += [("optional", line, title) for line, title in OPTIONAL]
    for n, (kind, line, title) in enumerate(actions):
        due = date(today.year, 1, 1) + timedelta(days=60 * (n + 1))
        done = due - timedelta(days=3) if due < today and (index + n) % 4 != 0 else None
        session.add(DemoSiteAction(site_id=site.id, kind=kind, line=line, title=title, due_on=due, done_on=done))
    return len(actions)


def _add_evaluations(session: Session, site: DemoSite, index: int, today: date) -> int:
    """Months Jan .. last month of this year (or December of last year in January) not yet evaluated."""
    year = today.year if today.month > 1 else today.year - 1
    last_month = today.month - 1 if today.month > 1 else 12
    have = set(session.execute(select(DemoSiteEvaluation.month).where(
        DemoSiteEvaluation.site_id == site.id, DemoSiteEvaluation.year == year)).scalars())
    added = 0
    for month in range(1, last_month + 1):
        if month in have:
            continue
        base = 78 + (index * 7) % 10 + month * 0.8
        scores = {"party_building": min(100.0, round(base + 4, 1)), "management": min(100.0, round(base, 1)),
                  "economic": min(100.0, round(base + 2 - (index % 3) * 3, 1))}
        session.add(DemoSiteEvaluation(site_id=site.id, year=year, month=month, overall=rules.overall_score(scores),
                                       comment="月度专业管理评价", created_by=SEED_ACTOR, **scores))
        added += 1
    return added


# ---- contact points --------------------------------------------------------------------------
def _leaders(session: Session, root: Org) -> list[Person]:
    """Leaders of both levels: people of the committees holding a leading role (else the first of each)."""
    committees = session.execute(select(Org.id).where(Org.kind == "committee", Org.path.startswith(root.path))
                                 .order_by(Org.id)).scalars().all()
    people = session.execute(select(Person).where(Person.org_id.in_(committees), Person.active.is_(True))
                             .order_by(Person.org_id, Person.id)).scalars().all()
    leaders = [p for p in people if LEADER_ROLES & set(p.roles or [])]
    if leaders:
        return leaders
    first_of_each: dict[int, Person] = {}
    for person in people:
        first_of_each.setdefault(person.org_id, person)
    return list(first_of_each.values())


def _seed_contact_points(session: Session, root: Org, today: date, counts: dict[str, int]) -> None:
    branches = _branches_under(session, root)
    if not branches:
        return
    orgs = {o.id: o for o in session.execute(select(Org).where(Org.path.startswith(root.path))).scalars()}
    for n, leader in enumerate(_leaders(session, root)):
        own = orgs[leader.org_id]
        mine = [b for b in branches if b.path.startswith(own.path)] if own.parent_id is not None else branches
        if not mine:
            continue
        for k in range(2):
            target = mine[(n * 3 + k * 5) % len(mine)]
            _link(session, leader, target, n + k, today, counts)


def _link(session: Session, leader: Person, org: Org, salt: int, today: date, counts: dict[str, int]) -> None:
    exists = session.execute(select(ContactPoint.id).where(ContactPoint.leader_id == leader.id,
                                                           ContactPoint.org_id == org.id)).scalar()
    if exists is not None:
        return
    since = date(today.year if today.month > 1 else today.year - 1, 1, 1)
    point = ContactPoint(leader_id=leader.id, org_id=org.id, since=since, note="创先争优联系点", created_by=SEED_ACTOR)
    session.add(point)
    session.flush()
    counts["contact_points"] += 1
    for v in range(2 + salt % 4):
        day = today - timedelta(days=9 + 23 * v + salt % 7)
        session.add(ContactVisit(contact_point_id=point.id, visited_on=day, created_by=SEED_ACTOR,
                                 notes="深入基层调研，了解党员群众所思所需所盼，指导承诺践诺"))
        counts["visits"] += 1


# ---- last October's unannounced visits to 34 branches, with comments -------------------------
def _seed_unannounced_inspections(session: Session, root: Org, today: date, counts: dict[str, int]) -> None:
    inspector = _leaders(session, root)[:1]
    if not inspector:
        return
    october = date(today.year - 1, 10, 1)
    branches = _branches_under(session, root)[:INSPECTED_BRANCHES]
    for i, branch in enumerate(branches):
        visited_on = october + timedelta(days=i % 28)
        found = session.execute(select(Inspection.id).where(
            Inspection.org_id == branch.id, Inspection.kind == "unannounced",
            Inspection.visited_on == visited_on)).scalar()
        if found is None:
            session.add(Inspection(org_id=branch.id, kind="unannounced", visited_on=visited_on,
                                   inspector_id=inspector[0].id, rating=3 + (i % 3), created_by=SEED_ACTOR,
                                   findings="调研未事先通知：活动方案、载体、承诺与亮诺（党务公开栏、信息上墙、内部网络）均已落实"))
            counts["inspections"] += 1
        _comment(session, branch, october, counts)


def _comment(session: Session, org: Org, day: date, counts: dict[str, int]) -> None:
    year, quarter = rules.quarter_of(day)
    found = session.execute(select(QuarterlyComment.id).where(
        QuarterlyComment.org_id == org.id, QuarterlyComment.year == year, QuarterlyComment.quarter == quarter)).scalar()
    if found is None:
        session.add(QuarterlyComment(org_id=org.id, year=year, quarter=quarter, created_by=SEED_ACTOR,
                                     text="紧扣本单位实际制订活动方案，承诺亮诺到位；践诺监督考核有序推进，需加强“回头看”"))
        counts["comments"] += 1
