"""A small group for the supervision tests, written straight into pledge's tables (by the factories).

集团党委 ─ 转炉厂党委 ─ 炼钢一支部, 炼钢二支部
        └ 焦化厂党委 ─ 炼焦支部
People: a group leader and an inspector (in the group committee), a member of 炼钢一支部, a member
of 炼焦支部.  One published pledge of 炼钢一支部 and one of 炼焦支部.

The fixtures ``world``, ``client`` and ``as_admin`` are in this folder's ``conftest.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pledge.factories import OrgFactory, PersonFactory, PledgeFactory, factories_on
from services.pledge.models import Org, Person, Pledge
from shared.settings import Settings

TODAY = datetime.now(Settings().zone).date()  # the campaign's today, as the service reads it


@dataclass(frozen=True)
class World:
    root: int
    converter: int  # 转炉厂党委
    branch1: int  # 炼钢一支部
    branch2: int  # 炼钢二支部
    coking: int  # 焦化厂党委
    coking_branch: int  # 炼焦支部
    leader: int
    inspector: int
    member1: int  # member of branch1
    coking_member: int
    pledge1: int  # of branch1
    coking_pledge: int


def add_org(session, code: str, name: str, kind: str, parent: Org | None = None) -> Org:
    with factories_on(session):
        return OrgFactory(code=code, name=name, kind=kind, parent=parent)


def add_person(session, employee_no: str, name: str, org: Org, roles: list[str] | None = None) -> Person:
    with factories_on(session):
        return PersonFactory(employee_no=employee_no, name=name, org=org, roles=roles or [])


def add_pledge(session, org: Org, title: str) -> Pledge:
    with factories_on(session):
        return PledgeFactory(org=org, title=title, due_on=TODAY)


def build_world(session) -> World:
    root = add_org(session, "HG", "集团党委", "committee")
    converter = add_org(session, "ZLC", "转炉厂党委", "committee", root)
    branch1 = add_org(session, "ZLC-1", "炼钢一支部", "branch", converter)
    branch2 = add_org(session, "ZLC-2", "炼钢二支部", "branch", converter)
    coking = add_org(session, "JHC", "焦化厂党委", "committee", root)
    coking_branch = add_org(session, "JHC-1", "炼焦支部", "branch", coking)
    leader = add_person(session, "L001", "李书记", root, ["secretary"])
    inspector = add_person(session, "I001", "王组织", root)
    member1 = add_person(session, "M001", "张党员", branch1)
    coking_member = add_person(session, "M002", "赵党员", coking_branch)
    pledge1 = add_pledge(session, branch1, "降低工序成本")
    coking_pledge = add_pledge(session, coking_branch, "焦炭质量提升")
    return World(root.id, converter.id, branch1.id, branch2.id, coking.id, coking_branch.id, leader.id,
                 inspector.id, member1.id, coking_member.id, pledge1.id, coking_pledge.id)


def assert_error(response, status: int, key: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"code", "error", "message", "errors"}
    assert body["code"] == status and body["error"] == key and body["message"]
    return body
