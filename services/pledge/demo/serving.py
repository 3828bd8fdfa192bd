"""The demo's 三服务 service targets: every committee for its branches and every branch for its members this
quarter, two party members of each branch for the employees around them this year (added once)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from services.pledge.directory.models import Org, Person
from services.pledge.service_targets import targets
from services.pledge.service_targets.models import ServiceTarget
from shared.context import Context
from shared.principal import Principal

TEXTS = {
    "committee": ("深入基层解难题", "每季度到所属党支部调研不少于 2 次，现场帮助解决生产经营难题"),
    "branch": ("关心党员成长", "每月开展一次谈心谈话，帮助党员解决工作和生活中的实际困难"),
    "person": ("岗位服务群众", "主动帮带身边员工，做到“党员身边无事故”，服务零投诉"),
}


def seed(ctx: Context, seeder: Principal, today: date) -> int:
    """The demo's service targets, unless some exist already; the number made."""
    session = ctx.session
    if session.scalar(select(func.count()).select_from(ServiceTarget)):
        return 0
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    made = 0
    for org in session.scalars(select(Org).order_by(Org.path)):
        title, content = TEXTS[org.kind]
        targets.create_target(ctx, seeder, {"provider_type": "org", "provider_id": org.id, "period_kind": "quarter",
                                            "period_start": quarter, "title": title, "content": content})
        made += 1
        if org.kind != "branch":
            continue
        members = session.scalars(select(Person.id).where(Person.org_id == org.id, Person.party_member.is_(True),
                                                          Person.active.is_(True)).order_by(Person.id).limit(2))
        title, content = TEXTS["person"]
        for person_id in list(members):
            targets.create_target(ctx, seeder, {"provider_type": "person", "provider_id": person_id,
                                                "period_kind": "year", "period_start": date(today.year, 1, 1),
                                                "title": title, "content": content})
            made += 1
    return made
