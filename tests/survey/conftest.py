"""A small group in the survey's directory copy, and helpers to run a round through its life."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.db import utcnow
from shared.directory import apply
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord, PledgeRecord, PledgesChanged

ORGS = [
    OrgRecord(1, "HG", "集团党委", "committee", None, "/1/"),
    OrgRecord(2, "ZL", "转炉厂党委", "committee", 1, "/1/2/"),
    OrgRecord(3, "ZL1", "炼钢一支部", "branch", 2, "/1/2/3/"),
    OrgRecord(4, "ZL2", "炼钢二支部", "branch", 2, "/1/2/4/"),
    OrgRecord(5, "JH", "焦化厂党委", "committee", 1, "/1/5/"),
    OrgRecord(6, "JH1", "焦化支部", "branch", 5, "/1/5/6/"),
]


def _people() -> list[PersonRecord]:
    people = []
    # branch 3: 4 members (101 secretary, 102 committee member), 6 employees
    # branch 4: 3 members (201 secretary), 3 employees; branch 6: 2 members (301 secretary), 2 employees
    for org, members, employees in ((3, range(101, 105), range(111, 117)), (4, range(201, 204), range(211, 214)),
                                    (6, range(301, 303), range(311, 313))):
        for pid in members:
            roles = ["secretary"] if pid % 100 == 1 else (["committee_member"] if pid == 102 else [])
            people.append(PersonRecord(pid, f"E{pid}", f"党员{pid}", org, True, "2001-07-01", roles))
        for pid in employees:
            people.append(PersonRecord(pid, f"E{pid}", f"员工{pid}", org, False))
    return people


PEOPLE = _people()
PLEDGES = [
    PledgeRecord(900, "炼钢一支部：降本增效", "org", 3, 3, "published", 1),
    PledgeRecord(901, "党员102：一流业绩", "person", 102, 3, "published", 2),
    PledgeRecord(902, "党员103：草稿", "person", 103, 3, "draft", 1),
]


@pytest.fixture
def group(survey):
    """The demo group (and its pledges) in the survey's projections."""
    from services.survey.directory import pledges
    from services.survey.models import directory

    with survey.db.session() as s:
        apply(s, directory, DirectoryChanged(orgs=ORGS, people=PEOPLE))
        pledges.apply(s, PledgesChanged(pledges=PLEDGES))
    return survey


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


@pytest.fixture
def make_round(survey_client, group, admin):
    """``make_round(kind="three_way", open=True, **settings)`` → the round as the API returns it."""

    def make(kind: str = "three_way", open: bool = True, root: int = 1, hours: int = 48, **settings) -> dict:
        body = {"kind": kind, "title": "2026 年度三测评" if kind == "three_way" else "2026 年度评诺",
                "root_org_id": root, "closes_at": (utcnow() + timedelta(hours=hours)).isoformat(),
                "settings": settings}
        r = survey_client.post("/api/v1/rounds", json=body, headers=admin)
        assert r.status_code == 201, r.get_json()
        if open:
            r = survey_client.post(f"/api/v1/rounds/{r.get_json()['id']}/open", headers=admin)
            assert r.status_code == 200, r.get_json()
        return r.get_json()

    return make


def invitations(sent, category: str = "survey_invite") -> dict[int, str]:
    """person id → token, from the invitations the outbox sent to notify."""
    out = {}
    for payload in sent.of("notify.send"):
        if payload["category"] == category:
            for item in payload["items"]:
                out[item["person_id"]] = item["link"].rsplit("/b/", 1)[1]
    return out


def fill(ballot: dict, score=4) -> list[dict]:
    """Answers to every (target, dimension) of a ballot; ``score`` may be a function of (target, dimension)."""
    return [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
             "score": score(t, d) if callable(score) else score}
            for t in ballot["targets"] for d in t["dimensions"]]
