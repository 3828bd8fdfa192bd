"""Large rounds: more raters than one issuing chunk answer 202 ``opening``; the workers issue the ballots in
chunks (each chunk once, whatever the redeliveries), invite every holder, then the round is ``open``."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.survey.models import Ballot, BallotTarget, Round, RoundTarget
from services.survey.rounds import opening
from shared.db import utcnow

from ...support import fill, invitations


def _open(survey_client, admin, rid: int):
    return survey_client.post(f"/api/v1/rounds/{rid}/open", headers=admin)


def _ballots(survey, rid: int) -> dict[int, set]:
    """person → the (target type, target id, part) on their ballot."""
    with survey.db.session() as s:
        rows = s.execute(select(Ballot.person_id, RoundTarget.target_type, RoundTarget.target_id, BallotTarget.part)
                         .join(BallotTarget, BallotTarget.ballot_id == Ballot.id)
                         .join(RoundTarget, RoundTarget.id == BallotTarget.target_ref)
                         .where(Ballot.round_id == rid)).all()
    out: dict[int, set] = {}
    for pid, *target in rows:
        out.setdefault(pid, set()).add(tuple(target))
    return out


@pytest.fixture
def eager(monkeypatch):
    from services.survey import tasks

    monkeypatch.setitem(tasks.celery.conf, "task_always_eager", True)
    monkeypatch.setitem(tasks.celery.conf, "task_eager_propagates", True)
    return tasks


@pytest.mark.parametrize("kind", ["three_way", "pledge_evaluation"])
def test_a_large_round_answers_202_opening_and_the_workers_open_it(kind, make_round, survey, survey_client, sent,
                                                                   admin, eager):
    small = make_round(kind)  # the same round within the request: what the workers must issue
    rid = make_round(kind, open=False, issue_chunk=3, invite_chunk=2)["id"]
    sent.clear()
    r = _open(survey_client, admin, rid)
    planned = small["ballots"]
    assert r.status_code == 202 and r.get_json()["state"] == "opening"
    assert (r.get_json()["ballots"], r.get_json()["issued"]) == (planned, 0)
    assert sent.of("survey.open_round") == [{"round_id": rid}] and not invitations(sent)
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).get_json()
    assert (got["state"], got["ballots"], got["issued"]) == ("opening", planned, 0)
    listed = survey_client.get("/api/v1/rounds", query_string={"state": "opening"}, headers=admin).get_json()
    assert [i["id"] for i in listed["items"]] == [rid]

    assert eager.open_round(message={"round_id": rid}) == -(-planned // 3)
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).get_json()
    assert (got["state"], got["ballots"], got["issued"]) == ("open", planned, planned)
    assert _ballots(survey, rid) == _ballots(survey, small["id"])
    links = invitations(sent)
    assert len(links) == planned
    keys = [p["key"] for p in sent.of("notify.send")]
    assert len(keys) == len(set(keys)) and all(p["private"] for p in sent.of("notify.send"))
    token = links[min(links)]
    ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
    assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot)}).status_code == 201
    assert eager.open_round(message={"round_id": rid}) == 0  # a duplicate delivery: nothing to do


def test_a_worker_killed_mid_open_and_redeliveries_issue_each_ballot_once(make_round, survey, survey_client, sent,
                                                                          admin):
    rid = make_round(open=False, issue_chunk=4)["id"]
    assert _open(survey_client, admin, rid).status_code == 202
    with survey.unit_of_work() as ctx:
        chunks = opening.start(ctx, rid)
    with survey.unit_of_work() as ctx:  # the first chunk commits, then its worker dies before acking
        assert opening.issue_chunk(ctx, rid, 0, chunks[0]) == 4
    with survey.unit_of_work() as ctx:  # … so it is delivered again
        assert opening.issue_chunk(ctx, rid, 0, chunks[0]) == 0
    early = invitations(sent)
    assert len(early) == 4
    # ballots cannot be used before the round is open
    r = survey_client.get(f"/api/v1/ballots/{early[min(early)]}")
    assert r.status_code == 409 and r.get_json()["errors"]["state"] == ["opening"]
    with survey.unit_of_work() as ctx:  # the round is left opening: the sweep queues it again
        assert opening.resume_stale(ctx, timedelta(hours=1)) == []
    with survey.unit_of_work(clock=lambda: utcnow() + timedelta(hours=2)) as ctx:
        assert opening.resume_stale(ctx, timedelta(hours=1)) == [rid]
    assert opening.run(survey.unit_of_work, rid)  # start again (targets read back), chunk 0 skipped
    assert not opening.run(survey.unit_of_work, rid)
    with survey.db.session() as s:
        assert s.get(Round, rid).state == "open"
        per_person = Counter(s.scalars(select(Ballot.person_id).where(Ballot.round_id == rid)))
    assert len(per_person) == 20 and set(per_person.values()) == {1}
    everyone = invitations(sent)
    assert len(everyone) == 20 and all(everyone[p] == t for p, t in early.items())  # nobody invited twice
    sent_to = Counter(i["person_id"] for p in sent.of("notify.send") for i in p["items"])
    assert set(sent_to.values()) == {1}
    r = survey_client.get(f"/api/v1/ballots/{early[min(early)]}")
    assert r.status_code == 200


def test_a_round_of_one_chunk_stays_within_the_request(make_round, survey_client, admin):
    rid = make_round(open=False, issue_chunk=20)["id"]
    r = _open(survey_client, admin, rid)
    assert r.status_code == 200 and (r.get_json()["state"], r.get_json()["ballots"], r.get_json()["issued"]) == (
        "open", 20, 20)
    r = _open(survey_client, admin, make_round(open=False, issue_chunk=19)["id"])
    assert r.status_code == 202 and r.get_json()["state"] == "opening"


def test_a_large_round_is_opened_only_by_its_subtree_admin_and_refuses_bad_chunks(make_round, survey_client,
                                                                                  auth_headers, admin):
    rid = make_round(open=False, root=2, issue_chunk=2)["id"]
    assert _open(survey_client, auth_headers("org_admin", org=5), rid).status_code == 403
    assert _open(survey_client, auth_headers("org_admin", org=2), rid).status_code == 202
    r = _open(survey_client, admin, rid)
    assert r.status_code == 409 and r.get_json()["errors"]["state"] == ["opening"]
    body = {"kind": "three_way", "title": "t", "root_org_id": 1, "settings": {"issue_chunk": 0},
            "closes_at": (utcnow() + timedelta(days=1)).isoformat()}
    r = survey_client.post("/api/v1/rounds", json=body, headers=admin)
    assert r.status_code == 422 and "settings.issue_chunk" in r.get_json()["errors"]


def test_a_scope_too_large_to_plan_in_the_request_is_planned_by_the_workers(make_round, survey, survey_client,
                                                                             sent, admin, eager):
    small = make_round()
    rid = make_round(open=False, issue_chunk=3, plan_within_request=0)["id"]  # every scope is "too large"
    sent.clear()
    r = _open(survey_client, admin, rid)
    assert r.status_code == 202 and (r.get_json()["state"], r.get_json()["ballots"]) == ("opening", None)
    assert r.get_json()["opening_error"] is None and sent.of("survey.open_round") == [{"round_id": rid}]
    assert eager.open_round(message={"round_id": rid}) == -(-small["ballots"] // 3)
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).get_json()
    assert (got["state"], got["ballots"], got["issued"]) == ("open", small["ballots"], small["ballots"])
    assert _ballots(survey, rid) == _ballots(survey, small["id"])
    assert len(invitations(sent)) == small["ballots"]


def test_a_scope_the_workers_find_nobody_in_goes_back_to_draft_with_why(make_round, survey_client, sent, admin,
                                                                         eager):
    # planned in the request: 422 at once (root 4 has no published pledge to evaluate)
    rid = make_round("pledge_evaluation", open=False, root=4)["id"]
    r = _open(survey_client, admin, rid)
    assert r.status_code == 422 and r.get_json()["errors"]["root_org_id"] == ["该范围内没有可参评的人员"]
    # planned by the workers: 202, then back to draft, the reason on the round, nothing issued
    rid = make_round("pledge_evaluation", open=False, root=4, plan_within_request=0)["id"]
    assert _open(survey_client, admin, rid).status_code == 202
    assert eager.open_round(message={"round_id": rid}) == 0
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).get_json()
    assert (got["state"], got["opened_at"], got["ballots"], got["issued"]) == ("draft", None, 0, 0)
    assert "nobody in this subtree can rate anything" in got["opening_error"] and not invitations(sent)
    assert _open(survey_client, admin, rid).status_code == 202  # may be opened again (once pledges exist)
