"""The survey tests' group and the helpers that run a round through its life."""

from __future__ import annotations

import random
from collections import defaultdict

from shared.messages import OrgRecord, PledgeRecord

from .factories import PersonRecordFactory

ORGS = [
    OrgRecord(1, "HG", "集团党委", "committee", None, "/1/"),
    OrgRecord(2, "ZL", "转炉厂党委", "committee", 1, "/1/2/"),
    OrgRecord(3, "ZL1", "炼钢一支部", "branch", 2, "/1/2/3/"),
    OrgRecord(4, "ZL2", "炼钢二支部", "branch", 2, "/1/2/4/"),
    OrgRecord(5, "JH", "焦化厂党委", "committee", 1, "/1/5/"),
    OrgRecord(6, "JH1", "焦化支部", "branch", 5, "/1/5/6/"),
]


def _people() -> list:
    people = []
    # branch 3: 4 members (101 secretary, 102 committee member), 6 employees
    # branch 4: 3 members (201 secretary), 3 employees; branch 6: 2 members (301 secretary), 2 employees
    for org, members, employees in ((3, range(101, 105), range(111, 117)), (4, range(201, 204), range(211, 214)),
                                    (6, range(301, 303), range(311, 313))):
        for pid in members:
            roles = ["secretary"] if pid % 100 == 1 else (["committee_member"] if pid == 102 else [])
            people.append(PersonRecordFactory(id=pid, org_id=org, party_member=True, roles=roles))
        for pid in employees:
            people.append(PersonRecordFactory(id=pid, org_id=org, party_member=False))
    return people


PEOPLE = _people()
PLEDGES = [
    PledgeRecord(900, "炼钢一支部：降本增效", "org", 3, 3, "published", 1),
    PledgeRecord(901, "党员102：一流业绩", "person", 102, 3, "published", 2),
    PledgeRecord(902, "党员103：草稿", "person", 103, 3, "draft", 1),
]


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


def answer_all(client, sent, rng: random.Random, skip: set[tuple[int, int]] = frozenset()) -> dict:
    """Every invited person answers (random scores); returns what was given per (type, id) → part → dim → [scores]."""
    given: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for person, token in sorted(invitations(sent).items()):
        ballot = client.get(f"/api/v1/ballots/{token}").get_json()
        answers = []
        for t in ballot["targets"]:
            if (person, t["target_id"]) in skip:
                continue
            for d in t["dimensions"]:
                answers.append({"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
                                "score": rng.randint(1, 5)})
        if answers:
            assert client.post(f"/api/v1/ballots/{token}", json={"answers": answers}).status_code == 201
        for a in answers:
            given[(a["target_type"], a["target_id"])][None][a["dimension"]].append(a["score"])
    return given


def results(client, rid: int, headers, **query) -> dict:
    """The round's results as the API lists them, by (target type, target id)."""
    r = client.get(f"/api/v1/rounds/{rid}/results", query_string={"page_size": 500, **query}, headers=headers)
    assert r.status_code == 200, r.get_json()
    return {(i["target_type"], i["target_id"]): i for i in r.get_json()["items"]}


def pooled_scores(session) -> list[int]:
    """Every score waiting in the answer pool (submitted, not yet released into ``survey_answers``), sorted."""
    from services.survey.models import PooledAnswers

    return sorted(a[3] for row in session.query(PooledAnswers) for a in row.answers)
