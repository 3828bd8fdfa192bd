"""A three-way round end to end with real workers: opened as a large round (202 ``opening``, its ballots
issued by survey's workers in a chord over chunks of raters), invitations reach inboxes through notify's
worker, ballots are answered, the round closes, survey's worker aggregates with a chord, results match."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

import pytest

from services.notify.models import directory as notify_directory
from services.survey.models import Round
from shared.db import utcnow
from shared.directory import apply
from shared.messages import DirectoryChanged
from shared.testing.processes import wait_for

from .expected import GROUPS, expected_three_way
from .support import ORGS, PEOPLE, results

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


def _inbox_tokens(notify_client, auth_headers, people: list[int]) -> dict[int, str]:
    tokens = {}
    for pid in people:
        items = notify_client.get(f"/api/v1/inbox/{pid}", headers=auth_headers("member", sub=pid)).get_json()["items"]
        links = [i["link"] for i in items if i["category"] == "survey_invite"]
        if links:
            tokens[pid] = links[0].rsplit("/b/", 1)[1]
    return tokens


def test_three_way_round_with_real_workers(live, workers, auth_headers):
    survey, notify = live("survey"), live("notify")
    from services.survey.directory import pledges  # noqa: F401  (the survey's own projection, as in conftest.group)
    from services.survey.models import directory as survey_directory

    event = DirectoryChanged(orgs=ORGS, people=PEOPLE)
    for svc, tables in ((survey, survey_directory), (notify, notify_directory)):
        with svc.db.session() as s:
            apply(s, tables, event)
    workers("survey", concurrency=2)
    workers("notify")
    client = survey.create_app(survey.runtime.settings).test_client()
    notify_client = notify.create_app(notify.runtime.settings).test_client()
    admin = auth_headers("admin")
    created = client.post("/api/v1/rounds", headers=admin, json={
        "kind": "three_way", "title": "三测评", "root_org_id": 1,
        "closes_at": (utcnow() + timedelta(days=2)).isoformat(), "settings": {"aggregation_chunk": 4,
                                                                              "invite_chunk": 7, "issue_chunk": 6}}
                          ).get_json()
    rid = created["id"]
    opened = client.post(f"/api/v1/rounds/{rid}/open", headers=admin)  # 20 raters, chunks of 6: the workers
    assert opened.status_code == 202 and (opened.get_json()["state"], opened.get_json()["ballots"]) == ("opening", 20)
    raters = sorted(p.id for p in PEOPLE)
    tokens = wait_for(lambda: (t := _inbox_tokens(notify_client, auth_headers, raters)) and len(t) == 20 and t,
                      60, interval=0.5, what="20 invitations in inboxes")
    wait_for(lambda: client.get(f"/api/v1/rounds/{rid}", headers=admin).get_json()["state"] == "open", 30,
             interval=0.5, what="the round open")
    rng = random.Random(21)
    given: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for _pid, token in sorted(tokens.items()):
        ballot = client.get(f"/api/v1/ballots/{token}").get_json()
        answers = [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
                    "score": rng.randint(1, 5)} for t in ballot["targets"] for d in t["dimensions"]]
        assert client.post(f"/api/v1/ballots/{token}", json={"answers": answers}).status_code == 201
        for a in answers:
            given[(a["target_type"], a["target_id"])][None][a["dimension"]].append(a["score"])
    assert client.post(f"/api/v1/rounds/{rid}/close", headers=admin).get_json()["state"] == "closed"

    def ready() -> bool:
        with survey.db.session() as s:
            return s.get(Round, rid).state == "results_ready"

    wait_for(ready, 90, interval=0.5, what="results_ready")
    got = results(client, rid, admin)
    want = expected_three_way(given, GROUPS)
    assert {k: (g["suppressed"], g["score"], g["rank"]) for k, g in got.items()} == {
        k: (w["suppressed"], None if w["suppressed"] else round(float(w["score"]), 1), w.get("rank"))
        for k, w in want.items()}
