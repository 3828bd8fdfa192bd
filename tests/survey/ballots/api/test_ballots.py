"""Ballots by token: what a ballot shows, what a submission must be, once only, rate limits."""

from __future__ import annotations

import dataclasses
import threading

from services.survey.models import Answer, Ballot, PooledAnswers

from ...support import fill, invitations


def test_ballot_lists_targets_dimensions_and_the_chinese_scale(make_round, survey_client, sent):
    rid = make_round()["id"]
    tokens = invitations(sent)
    employee = survey_client.get(f"/api/v1/ballots/{tokens[111]}").get_json()
    assert employee["round_id"] == rid
    assert [(t["target_type"], t["target_id"]) for t in employee["targets"]] == [("person", p) for p in range(101, 105)]
    assert employee["targets"][0]["dimensions"] == ["awareness", "skill", "performance", "solidarity"]
    assert employee["scale"] == {"min": 1, "max": 5, "labels": {"5": "很好", "4": "较好", "3": "一般", "2": "较差",
                                                               "1": "差"}}
    assert {d["key"] for d in employee["dimensions"]} == {"awareness", "skill", "performance", "solidarity"}
    secretary = survey_client.get(f"/api/v1/ballots/{tokens[101]}").get_json()
    assert sorted((t["target_type"], t["target_id"]) for t in secretary["targets"]) == [("branch", 3),
                                                                                       ("committee", 2)]
    member = survey_client.get(f"/api/v1/ballots/{tokens[103]}").get_json()
    assert [(t["target_type"], t["target_id"]) for t in member["targets"]] == [("branch", 3)]
    assert survey_client.get("/api/v1/ballots/not-a-token-at-all").status_code == 404


def test_secretary_only_mode_leaves_committee_members_out(make_round, survey_client, sent):
    make_round(committee_raters="secretary")
    member = survey_client.get(f"/api/v1/ballots/{invitations(sent)[102]}").get_json()
    assert [t["target_type"] for t in member["targets"]] == ["branch"]


def test_every_bad_answer_is_named_and_nothing_is_used(make_round, survey_client, sent, survey):
    make_round(allow_partial=False)
    token = invitations(sent)[111]
    answers = [
        {"target_type": "person", "target_id": 201, "dimension": "skill", "score": 3},  # not on this ballot
        {"target_type": "person", "target_id": 101, "dimension": "close_members", "score": 3},  # wrong dimension
        {"target_type": "person", "target_id": 101, "dimension": "skill", "score": 6},  # off the scale
        {"target_type": "person", "target_id": 101, "dimension": "awareness", "score": 3},
        {"target_type": "person", "target_id": 101, "dimension": "awareness", "score": 4},  # twice
    ]
    r = survey_client.post(f"/api/v1/ballots/{token}", json={"answers": answers}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert set(r.get_json()["errors"]) == {"answers.0.target_id", "answers.1.dimension", "answers.2.score",
                                           "answers.4.dimension"}
    r = survey_client.post(f"/api/v1/ballots/{token}", json={"answers": answers[3:4]})
    assert r.status_code == 422 and "answers" in r.get_json()["errors"]  # partial ballots not allowed here
    r = survey_client.post(f"/api/v1/ballots/{token}", json={"answers": [{**answers[3], "score": "4"}], "x": 1})
    assert r.status_code == 422 and {"answers.0.score", "x"} <= set(r.get_json()["errors"])
    assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": []}).status_code == 422
    with survey.db.session() as s:
        assert s.query(Answer).count() == 0 and s.query(Ballot).filter(Ballot.used.is_(True)).count() == 0


def test_a_ballot_takes_one_submission_and_none_once_closed(make_round, survey_client, sent, admin):
    rid = make_round()["id"]
    tokens = invitations(sent)
    ballot = survey_client.get(f"/api/v1/ballots/{tokens[111]}").get_json()
    r = survey_client.post(f"/api/v1/ballots/{tokens[111]}", json={"answers": fill(ballot)})
    assert r.status_code == 201 and r.get_json() == {"round_id": rid, "answers": 16}
    again = survey_client.post(f"/api/v1/ballots/{tokens[111]}", json={"answers": fill(ballot)})
    assert again.status_code == 409 and again.get_json()["error"] == "ballot_used"
    assert survey_client.get(f"/api/v1/ballots/{tokens[111]}").status_code == 409
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    late = survey_client.post(f"/api/v1/ballots/{tokens[112]}", json={"answers": fill(ballot)})
    assert late.status_code == 409 and late.get_json()["error"] == "round_not_open"
    assert "closed" in late.get_json()["message"]


def test_twenty_concurrent_submissions_of_one_token_store_exactly_one_ballot(make_round, survey, settings, sent):
    make_round()
    token = invitations(sent)[111]
    app = survey.create_app(settings)
    ballot = app.test_client().get(f"/api/v1/ballots/{token}").get_json()
    answers = fill(ballot, 5)
    statuses: list[int] = []
    barrier = threading.Barrier(20)

    def submit() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(f"/api/v1/ballots/{token}", json={"answers": answers}).status_code)

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses) == [201] + [409] * 19
    with survey.db.session() as s:  # one answer set, waiting in the pool for a batch to join it
        [pooled] = s.query(PooledAnswers).all()
        assert len(pooled.answers) == len(answers) == 16 and s.query(Answer).count() == 0


def test_ballot_endpoints_are_rate_limited_with_the_error_shape(make_round, survey, settings, sent):
    make_round()
    client = survey.create_app(dataclasses.replace(settings, survey_ballot_token_rate_limit="3/minute")).test_client()
    token = invitations(sent)[111]
    codes = [client.get(f"/api/v1/ballots/{token}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    body = client.get(f"/b/{token}").get_json(silent=True)
    assert body is None or body["error"] == "rate_limited"
    r = client.get(f"/api/v1/ballots/{token}")
    assert r.status_code == 429 and r.get_json()["code"] == 429 and r.get_json()["error"] == "rate_limited"
    assert client.get(f"/api/v1/ballots/{invitations(sent)[112]}").status_code == 200  # per token
