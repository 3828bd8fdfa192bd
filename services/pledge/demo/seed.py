"""``xianfeng seed-demo``: a group shaped like the article (idempotent).

集团党委 → 22 unit committees (19 steel units, 3 non-steel; names from the article where it gives them)
→ 49 branches (转炉厂 has eight), ~3,000 people with join dates (some on 29 February), the carrier
钢铁先锋 with specific carriers below it, pledges in every state.  The supervision data (demo sites,
contact points, inspections) is added by ``demo.supervision.seed(session, today)``.  Everything goes
through the use cases (upserts, carriers, pledge actions), each batch in its own unit of work.
The seed touches only what it made: its own org codes (``HG``, ``U01``, ``U01-B1`` …) and employee numbers
(``HG000001`` …); orgs and people made by hand or by ``xianfeng demo`` (codes ``XFDEMO-…``) get no pledges.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from services.pledge.demo import daily_work, serving, supervision
from services.pledge.demo.supervision import ROOT_CODE
from services.pledge.directory.importing.upsert import OrgIndex, upsert_orgs, upsert_people
from services.pledge.directory.models import Org, Person
from services.pledge.pledges import actions, carriers, drafts, progress
from services.pledge.pledges.domain.access import actor_of
from services.pledge.pledges.models import Pledge
from shared.context import Context
from shared.principal import Principal

UnitOfWork = Callable[[], AbstractContextManager[Context]]

SEEDER = Principal(sub="seed-demo", roles=frozenset({"admin"}))
STEEL = ("转炉厂", "焦化厂", "维检中心", "设备制造分公司", "炼铁厂", "烧结厂", "电炉厂", "高速线材厂", "中型轧钢厂",
         "带钢厂", "棒材厂", "动力厂", "运输部", "原料处", "检测中心", "能源管理中心", "供应处", "销售公司", "技术中心")
NON_STEEL = ("杭钢医院", "房地产公司", "商贸公司")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红海峰斌波辉鹏飞宇浩凯俊晨阳杭钢铁锋"
PEOPLE_PER_BRANCH = 56
ORG_PLEDGES = (("key_tasks", "完成年度降本增效任务", [("降本", "万元", 800), ("工序能耗下降", "%", 2)]),
               ("serve_overall", "保障重点工程按期投产", [("节点完成率", "%", 100)]),
               ("hot_issues", "解决职工通勤难问题", [("新增班车", "条", 2), ("满意度", "%", 90)]),
               ("self_building", "支部标准化建设达标", [("“三会一课”", "次", 24)]))
PERSON_PLEDGES = (("first_class_results", "岗位降本", [("降本", "万元", 30)]),
                  ("first_class_service", "党员身边无事故", [("事故", "起", 0), ("帮带徒弟", "人", 2)]),
                  ("first_class_image", "“5S”党员责任区达标", [("检查达标率", "%", 100)]))
CEILINGS = frozenset({"事故"})  # targets kept at or under their value (事故 0 起)
# the pledge states the demo shows, in turn: each is a list of (action, body) from draft
PATHS = (
    [],
    [("submit", {})],
    [("submit", {}), ("return", {"comment": "目标需进一步量化"})],
    [("submit", {}), ("approve", {})],
    [("submit", {}), ("approve", {}), ("publish", {"channels": ["board", "intranet"]})],
    [("submit", {}), ("approve", {}), ("publish", {"channels": ["board", "meeting"]}), ("progress", None)],
    [("submit", {}), ("approve", {}), ("publish", {}), ("progress", None),
     ("revise", {"reason": "回头看：结合员工群众意见完善承诺"})],
    [("submit", {}), ("approve", {}), ("publish", {}), ("progress", None), ("close", {"outcome": "fulfilled"})],
    [("submit", {}), ("withdraw", {"reason": "机构调整，承诺并入新支部"})],
    [("submit", {}), ("approve", {}), ("publish", {}), ("exemplar", {"note": "具体、实在，遴选为亮诺样板"})],
)


def org_rows() -> list[tuple[int, dict]]:
    rows = [{"code": "HG", "name": "杭钢集团党委", "kind": "committee", "parent_code": None}]
    for i, unit in enumerate(STEEL + NON_STEEL, start=1):
        code = f"U{i:02d}"
        rows.append({"code": code, "name": f"{unit}党委", "kind": "committee", "parent_code": "HG"})
        for b in range(8 if unit == "转炉厂" else (1 if unit == "杭钢医院" else 2)):
            name = f"{unit}{'医院' if unit == '杭钢医院' else ''}第{b + 1}党支部"
            rows.append({"code": f"{code}-B{b + 1}", "name": name, "kind": "branch", "parent_code": code})
    return list(enumerate(rows, start=2))


def people_rows(orgs: list[dict], rng: random.Random) -> list[tuple[int, dict]]:
    rows = [{"employee_no": "HG000001", "name": "李世中", "org_code": "HG", "party_member": "是",
             "joined_party_on": "1982-07-01", "roles": "书记"}]
    for org in orgs:
        count = PEOPLE_PER_BRANCH if org["kind"] == "branch" else 3
        for k in range(count):
            n = len(rows) + 1
            member = k < 2 or rng.random() < 0.6
            joined = _join_date(rng, n) if member else None
            role = "书记" if k == 0 else ("副书记" if k == 1 and org["kind"] == "committee" else "")
            rows.append({"employee_no": f"HG{n:06d}", "name": rng.choice(SURNAMES) + rng.choice(GIVEN) +
                         (rng.choice(GIVEN) if rng.random() < 0.6 else ""), "org_code": org["code"],
                         "party_member": "是" if member else "否", "joined_party_on": joined, "roles": role,
                         "email": f"hg{n:06d}@hzsteel.example", "phone": f"1380000{n:04d}"})
    return list(enumerate(rows, start=2))


def _join_date(rng: random.Random, n: int) -> str:
    if n % 97 == 0:
        return f"{rng.choice((1988, 1992, 1996, 2000, 2004, 2008))}-02-29"
    return (date(1980, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))).isoformat()


def seed_directory(unit_of_work: UnitOfWork, today: date) -> dict[str, int]:
    rng = random.Random(2011)
    orgs = org_rows()
    with unit_of_work() as ctx:
        created_orgs = upsert_orgs(ctx, orgs, OrgIndex.load(ctx.session), "zh").created
    people = people_rows([r for _, r in orgs if r["code"] != "HG"], rng)
    created, seen = 0, {}
    with unit_of_work() as ctx:
        index = OrgIndex.load(ctx.session)
    for start in range(0, len(people), 1000):
        with unit_of_work() as ctx:
            created += upsert_people(ctx, people[start:start + 1000], index, "zh", today, seen).created
    return {"orgs": created_orgs, "people": created}


def seed_carriers(session, today: date) -> list[int]:
    root = session.scalar(select(Org).where(Org.code == ROOT_CODE))
    year = date(today.year, 1, 1)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    main = carriers.create_carrier(session, SEEDER, {
        "title": "钢铁先锋", "org_id": root.id, "parent_id": None, "period_kind": "year", "period_start": year,
        "themes": ["学先进", "拓市场", "谋发展", "促和谐", "庆七一"]})
    ids = [main.id]
    for code, title, themes in (("U01", "瞄准先进 负能炼钢", ["学先进", "降成本"]),
                                ("U02", "党员责任区 政治生日", ["促和谐"]),
                                ("U03", "党员安全监护志愿者", ["安全生产", "进社区"]),
                                ("U04", "“5S”党员责任区", ["整理", "整顿", "清扫", "清洁", "素养"])):
        org = session.scalar(select(Org).where(Org.code == code))
        ids.append(carriers.create_carrier(session, SEEDER, {
            "title": title, "org_id": org.id, "parent_id": main.id, "period_kind": "quarter",
            "period_start": quarter, "themes": themes}).id)
    return ids


def _walk(ctx: Context, pledge_id: int, path: list, values: dict) -> None:
    for action, body in path:
        if action == "progress":
            progress.report_progress(ctx, SEEDER, pledge_id, {"note": "按计划推进", "values": values,
                                                              "evidence_url": None})
        else:
            actions.act(ctx, SEEDER, pledge_id, action, body)


def seed_pledges(ctx: Context, carrier_ids: list[int], today: date) -> int:
    session = ctx.session
    own_codes = [row["code"] for _, row in org_rows() if row["kind"] == "branch"]
    branches = list(session.scalars(select(Org).where(Org.kind == "branch", Org.code.in_(own_codes))
                                    .order_by(Org.id)))
    made = 0
    for i, branch in enumerate(branches):
        category, title, targets = ORG_PLEDGES[i % len(ORG_PLEDGES)]
        made += _pledge(ctx, "org", branch.id, category, f"{branch.name}：{title}", targets, carrier_ids,
                        PATHS[i % len(PATHS)], today + timedelta(days=(i * 11) % 200 - 30))
        members = session.scalars(select(Person.id).where(Person.org_id == branch.id, Person.party_member.is_(True),
                                                          Person.employee_no.like(f"{ROOT_CODE}%"))
                                  .order_by(Person.id).limit(3))
        for j, person_id in enumerate(members):
            category, title, targets = PERSON_PLEDGES[(i + j) % len(PERSON_PLEDGES)]
            made += _pledge(ctx, "person", person_id, category, title, targets, carrier_ids,
                            PATHS[(i * 3 + j) % len(PATHS)], today + timedelta(days=(i * 7 + j * 13) % 120 - 10))
    return made


def _pledge(ctx: Context, pledger_type, pledger_id, category, title, targets, carrier_ids, path, due_on) -> int:
    data = {"pledger_type": pledger_type, "pledger_id": pledger_id, "category": category, "title": title,
            "content": "目标明确、量化准确、承诺翔实", "audiences": ["上级党组织", "党员", "群众"],
            "targets": [{"name": n, "unit": u, "target": t, "due_on": None,
                         "direction": "at_most" if n in CEILINGS else "at_least"} for n, u, t in targets],
            "due_on": due_on, "carrier_id": carrier_ids[pledger_id % len(carrier_ids)]}
    pledge = drafts.create(ctx.session, SEEDER, data)
    _walk(ctx, pledge.id, path, {n: t * 0.6 for n, _, t in targets})
    return 1


def seed_demo(unit_of_work: UnitOfWork, today: date | None = None) -> dict[str, Any]:
    """Seed once (a second run only tops up the supervision data, which is idempotent)."""
    with unit_of_work() as ctx:
        today = today or ctx.today()
        seeded = ctx.session.scalar(select(Pledge.id).where(Pledge.created_by == actor_of(SEEDER)).limit(1))
    if seeded:
        return {"skipped": "already seeded", **_supervision(unit_of_work, today)}
    report: dict[str, Any] = seed_directory(unit_of_work, today)
    with unit_of_work() as ctx:
        ids = seed_carriers(ctx.session, today)
        report["carriers"] = len(ids)
        report["pledges"] = seed_pledges(ctx, ids, today)
    report.update(_supervision(unit_of_work, today))
    return report


def _supervision(unit_of_work: UnitOfWork, today: date) -> dict[str, Any]:
    """Demo sites, contact points, inspections and comments (``supervision.seed`` adds only what is missing),
    the 三服务 service targets (once) and the daily-work demo data."""
    with unit_of_work() as ctx:
        report = {"supervision": supervision.seed(ctx.session, today)}
    with unit_of_work() as ctx:
        report["service_targets"] = serving.seed(ctx, SEEDER, today)
    with unit_of_work() as ctx:
        report["daily_work"] = daily_work.seed(ctx, today)
    return report
