"""Demo daily work on top of the demo group (``xianfeng seed-demo``), once, with the units the article names:

焦化厂 grows 党员责任区 in its star teams and pairs its members 一助一 for skills; 设备制造分公司 runs "5S"
党员责任区 whose holders guarantee five things; 维检中心 puts 党员安全监护志愿者 on duty with badges (挂牌上岗)
and sends volunteers into the community; 转炉厂 hangs 党员先锋岗; and every unit asks its employees for their
views (征求意见), some anonymous, one taken up by a pledge.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.daily_work import mentorships, posts, volunteering, zones
from services.pledge.daily_work.models import Zone
from services.pledge.demo.supervision import ROOT_CODE
from services.pledge.directory.models import Org, Person
from services.pledge.suggestions import answering, submitting
from shared.context import Context
from shared.principal import Principal

SEEDER = Principal(sub="seed-demo", roles=frozenset({"admin"}))
STAR_TEAM_GUARANTEES = ["焦炉设备零故障", "安全生产无事故", "节能降耗指标完成"]
SUGGESTIONS = ("夜班交接缺少安全确认环节，建议增加交接确认单", "希望增加青年职工技能培训的机会",
               "食堂夜班供餐时间太短", "建议公开班组绩效考核办法")


def _unit(session: Session, name: str) -> Org | None:
    """The unit committee of that name under the seeded root (never an org of ``xianfeng demo`` or made by hand)."""
    root = session.scalar(select(Org).where(Org.code == ROOT_CODE))
    if root is None:
        return None
    return session.scalars(select(Org).where(Org.kind == "committee", Org.name == f"{name}党委",
                                             Org.path.startswith(root.path)).order_by(Org.id)).first()


def _branches(session: Session, unit: Org) -> list[Org]:
    return list(session.scalars(select(Org).where(Org.parent_id == unit.id).order_by(Org.id)))


def _members(session: Session, org: Org, n: int, party: bool = True) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.org_id == org.id, Person.party_member.is_(party),
                                                     Person.active.is_(True)).order_by(Person.id).limit(n)))


def _zones(ctx: Context, branch: Org, kind: str, names: list[str], today: date, counts: dict) -> None:
    holders = _members(ctx.session, branch, 6)
    for i, name in enumerate(names):
        body = {"org_id": branch.id, "name": name, "kind": kind, "holder_ids": [p.id for p in holders[i::2][:3]],
                "since": today - timedelta(days=200 + 30 * i)}
        if kind == "responsibility":
            body["guarantees"] = STAR_TEAM_GUARANTEES
        zone = zones.create_zone(ctx, SEEDER, body)
        for month in range(1, 6):
            results = dict.fromkeys(zone["guarantees"], True)
            if (month + i) % 4 == 0:
                results[zone["guarantees"][-1]] = False
            zones.add_check(ctx, SEEDER, zone["id"], {"checked_on": today - timedelta(days=30 * month + i),
                                                      "results": results, "note": None})
        if i % 2:
            zones.add_incident(ctx, SEEDER, zone["id"], {"occurred_on": today - timedelta(days=40 + 9 * i),
                                                         "kind": "equipment", "note": "设备异常，及时处置"})
        counts["zones"] += 1


def _coking(ctx: Context, today: date, counts: dict) -> None:
    unit = _unit(ctx.session, "焦化厂")
    for branch in _branches(ctx.session, unit) if unit else []:
        _zones(ctx, branch, "responsibility", [f"{branch.name}星级班组党员责任区"], today, counts)
        mentors, mentees = _members(ctx.session, branch, 2), _members(ctx.session, branch, 2, party=False)
        for mentor, mentee, skill in zip(mentors, mentees, ("焦炉测温", "推焦车操作"), strict=False):
            mentorships.pair(ctx, SEEDER, {"mentor_id": mentor.id, "mentee_id": mentee.id, "skill": skill,
                                           "since": today - timedelta(days=90), "until": today + timedelta(days=275)})
            counts["mentorships"] += 1


def _equipment(ctx: Context, today: date, counts: dict) -> None:
    unit = _unit(ctx.session, "设备制造分公司")
    for branch in _branches(ctx.session, unit) if unit else []:
        _zones(ctx, branch, "five_s", [f"{branch.name}金工车间5S责任区", f"{branch.name}装配线5S责任区"], today,
               counts)


def _maintenance(ctx: Context, today: date, counts: dict) -> None:
    unit = _unit(ctx.session, "维检中心")
    for branch in _branches(ctx.session, unit) if unit else []:
        volunteers = _members(ctx.session, branch, 4)
        for k, person in enumerate(volunteers):
            posts.create_post(ctx, SEEDER, {"org_id": branch.id, "title": "党员安全监护志愿者",
                                            "kind": "safety_volunteer", "holder_id": person.id,
                                            "since": today - timedelta(days=120),
                                            "until": today + timedelta(days=5 + 60 * k)})
            counts["posts"] += 1
        for month in range(3):
            volunteering.record_activity(ctx, SEEDER, {
                "org_id": branch.id, "title": "党员志愿者进社区义务维修家电", "kind": "community",
                "on": today - timedelta(days=25 * month + 3), "hours": 3.5,
                "person_ids": [p.id for p in volunteers]})
            counts["activities"] += 1


def _converter(ctx: Context, today: date, counts: dict) -> None:
    unit = _unit(ctx.session, "转炉厂")
    for branch in _branches(ctx.session, unit)[:4] if unit else []:
        for person in _members(ctx.session, branch, 1):
            posts.create_post(ctx, SEEDER, {"org_id": branch.id, "title": "转炉炉长党员先锋岗",
                                            "kind": "vanguard_post", "holder_id": person.id,
                                            "since": today - timedelta(days=300), "until": None})
            counts["posts"] += 1


def _suggestions(ctx: Context, counts: dict) -> None:
    for name in ("焦化厂", "设备制造分公司", "维检中心", "转炉厂"):
        unit = _unit(ctx.session, name)
        branches = _branches(ctx.session, unit) if unit else []
        if not branches:
            continue
        people = _members(ctx.session, branches[0], 4, party=False) or _members(ctx.session, branches[0], 4)
        made = [submitting.submit(ctx, Principal(sub=str(p.id), roles=frozenset({"member"})),
                                  {"org_id": branches[0].id, "content": text, "anonymous": k % 2 == 0})
                for k, (p, text) in enumerate(zip(people, SUGGESTIONS, strict=False))]
        counts["suggestions"] += len(made)
        if len(made) > 1:
            answering.answer(ctx, SEEDER, made[1]["id"], {"decision": "answer", "reply": "已纳入支部年度承诺"})
        if len(made) > 2:
            answering.answer(ctx, SEEDER, made[2]["id"], {"decision": "decline", "reason": "受场地限制，暂不具备条件"})


def seed(ctx: Context, today: date) -> dict[str, Any]:
    """Once: a second run finds the seeded zones and adds nothing."""
    counts = {"zones": 0, "posts": 0, "activities": 0, "mentorships": 0, "suggestions": 0}
    if ctx.session.scalar(select(Zone.id).where(Zone.created_by == "seed-demo").limit(1)) is not None:
        return counts
    for part in (_coking, _equipment, _maintenance, _converter):
        part(ctx, today, counts)
    _suggestions(ctx, counts)
    return counts
