"""Aggregation against an independent recomputation: trimming, suppression (and complementary), grades, ranks;
idempotent re-runs, a crash midway, a chunk failing for good and the admin's re-run."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from services.survey.aggregation import inline, steps
from services.survey.models import Result

from ...expected import GROUPS, dimensions_of, expected_three_way
from ...support import answer_all, invitations, results


def test_three_way_results_match_an_independent_computation(make_round, survey, survey_client, sent, admin):
    rid = make_round(aggregation_chunk=3)["id"]
    # employee 213 skips member 203 → 203 has 2 raters (suppressed) and 201 is hidden with it
    given = answer_all(survey_client, sent, random.Random(7), skip={(213, 203)})
    assert survey_client.get(f"/api/v1/rounds/{rid}/results", headers=admin).status_code == 409
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    got = results(survey_client, rid, admin)
    want = expected_three_way(given, GROUPS)
    assert set(got) == set(want)
    for key, w in want.items():
        g = got[key]
        assert (g["suppressed"], g["n"], g["org_id"]) == (w["suppressed"], w["n"], w["org"]), key
        reason = ("complementary" if w.get("complementary") else "min_group") if w["suppressed"] else None
        assert g["suppression"] == reason, key
        if w["suppressed"]:
            assert g["score"] is None and g["grade"] is None and g["dimensions"] == {} and g["rank"] is None
            continue
        assert g["score"] == round(float(w["score"]), 1) and g["grade"] == w["grade"], key
        assert g["dimensions"] == pytest.approx({d: float(w["dimensions"][d]) for d in dimensions_of(key[0])})
        assert (g["rank"], g["rank_in_round"]) == (w["rank"], w["rank_in_round"]), key
    # the cases the data was built for
    assert got[("person", 203)]["suppressed"] and got[("person", 201)]["suppressed"]
    assert got[("person", 201)]["suppression"] == "complementary"
    # 焦化厂党委 has too few raters; 转炉厂党委 stays published: hiding it could only protect the group's
    # committee total, which is withheld instead (no stricter than the rules require)
    assert got[("committee", 5)]["suppression"] == "min_group" and not got[("committee", 2)]["suppressed"]
    summaries = survey_client.get(f"/api/v1/rounds/{rid}/summaries", headers=admin).get_json()["items"]
    [committees] = [s for s in summaries if s["org_id"] == 1 and s["target_type"] == "committee"]
    assert committees["suppressed"] and committees["score"] is None
    assert not got[("person", 101)]["suppressed"] and got[("person", 101)]["n"] == 6


def test_rerun_and_a_crash_midway_give_the_same_results(make_round, survey, survey_client, sent, admin):
    rid = make_round(aggregation_chunk=2)["id"]
    answer_all(survey_client, sent, random.Random(11))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)

    def dump() -> list:
        with survey.db.session() as s:
            return [(r.target_ref, r.n, r.score, r.grade, r.rank_in_org, r.rank_in_round, r.suppressed, r.dimensions)
                    for r in s.scalars(select(Result).order_by(Result.target_ref))]

    with survey.unit_of_work() as ctx:  # a worker dies after the first chunk
        first = steps.start(ctx, rid)[0]
    with survey.unit_of_work() as ctx:
        steps.compute_chunk(ctx.session, rid, *first)
    assert inline.run(survey.unit_of_work, rid)
    once = dump()
    assert not inline.run(survey.unit_of_work, rid)  # duplicate delivery: nothing to do
    r = survey_client.post(f"/api/v1/rounds/{rid}/aggregate", headers=admin)
    assert r.status_code == 202 and {"round_id": rid, "rerun": True} in sent.of("survey.aggregate_round")
    assert inline.run(survey.unit_of_work, rid, rerun=True)
    assert dump() == once and len(once) == len(GROUPS)
    with survey.unit_of_work() as ctx:
        assert steps.finish(ctx, rid) is False


def test_a_chunk_failing_for_good_marks_the_round_failed_and_a_rerun_recovers(make_round, survey, survey_client,
                                                                               sent, admin):
    from sqlalchemy.exc import OperationalError

    from services.survey.tasks import aggregation_failed

    rid = make_round(aggregation_chunk=2)["id"]
    answer_all(survey_client, sent, random.Random(11))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    with survey.unit_of_work() as ctx:
        steps.start(ctx, rid)
    lost = OperationalError("SELECT …", {}, Exception("server closed the connection unexpectedly"))
    assert aggregation_failed(None, lost, None, rid)  # the chord's errback, after the chunk's retries
    assert not aggregation_failed(None, lost, None, rid)  # delivered twice: one effect
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).json
    assert got["state"] == "failed" and "server closed the connection" in got["aggregation_error"]
    assert survey_client.get(f"/api/v1/rounds/{rid}/results", headers=admin).status_code == 409
    resp = survey_client.post(f"/api/v1/rounds/{rid}/aggregate", headers=admin)
    assert resp.status_code == 202
    assert inline.run(survey.unit_of_work, rid, rerun=True)
    got = survey_client.get(f"/api/v1/rounds/{rid}", headers=admin).json
    assert got["state"] == "results_ready" and got["aggregation_error"] is None


def test_exact_bounds_and_exact_ties_over_the_api(make_round, survey, survey_client, sent, admin):
    """Branch 4's three employees rate its members so that 201 scores exactly 75, 202 exactly 60, 203 exactly
    90 (sums of thirds a float adds up to 74.99…, 59.99…, 89.99…): 合格, 基本合格, 优秀, ranks 2, 3, 1."""
    rid = make_round()["id"]
    keys = dimensions_of("person")
    # per member, per dimension: the three employees' answers (employee 211, 212, 213)
    wanted = {201: ([1, 1, 2], [5, 5, 5], [5, 5, 5], [4, 4, 3]), 202: ([1, 1, 1], [3, 3, 3], [5, 4, 4], [4, 4, 3]),
              203: ([5, 4, 4], [5, 5, 5], [5, 4, 4], [5, 4, 4])}
    tokens = invitations(sent)
    for k, employee in enumerate((211, 212, 213)):
        answers = [{"target_type": "person", "target_id": member, "dimension": dim, "score": dims[i][k]}
                   for member, dims in wanted.items() for i, dim in enumerate(keys)]
        assert survey_client.post(f"/api/v1/ballots/{tokens[employee]}", json={"answers": answers}).status_code == 201
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    got = results(survey_client, rid, admin, target_type="person", org_id=4)
    assert {m: (got[("person", m)]["score"], got[("person", m)]["grade"], got[("person", m)]["rank"])
            for m in wanted} == {201: (75.0, "合格", 2), 202: (60.0, "基本合格", 3), 203: (90.0, "优秀", 1)}
