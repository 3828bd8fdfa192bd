"""Aggregation against an independent recomputation: trimming, suppression (and complementary), weights,
grades, ranks; idempotent re-runs; what goes to pledge and notify; spreadsheet, summaries, charts."""

from __future__ import annotations

import io
import random
from collections import defaultdict
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from services.survey.aggregation import inline, steps
from services.survey.models import Result

from .conftest import invitations


def _answer_all(client, sent, rng: random.Random, skip: set[tuple[int, int]] = frozenset()) -> dict:
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


# ---- the independent computation (written from DOMAIN.md, not from the service code) ----------

def _mean(scores: list[int]) -> Fraction:
    s = sorted(scores)
    if len(s) >= 5:
        s = s[1:-1]
    return Fraction(sum(s), len(s))


def _grade(score: float) -> str:
    return "优秀" if score >= 90 else "合格" if score >= 75 else "基本合格" if score >= 60 else "不合格"


def _ranks(scores: dict) -> dict:
    return {k: 1 + sum(1 for other in scores.values() if other > v) for k, v in scores.items()}


def expected_three_way(given: dict, groups: dict[tuple[str, int], int]) -> dict:
    out = {}
    for key, org in groups.items():
        dims = given.get(key, {}).get(None, {})
        counts = [len(dims.get(d, [])) for d in _dims(key[0])]
        if min(counts) < 3:
            out[key] = {"suppressed": True, "n": max(counts), "org": org}
            continue
        means = {d: _mean(dims[d]) for d in _dims(key[0])}
        score = sum(means.values()) / len(means) * 20
        out[key] = {"suppressed": False, "n": max(counts), "org": org, "dimensions": means, "score": score,
                    "grade": _grade(score)}
    _complementary(out)
    for scope in ("org", "round"):
        buckets = defaultdict(dict)
        for key, r in out.items():
            if not r["suppressed"]:
                buckets[(key[0], r["org"] if scope == "org" else 0)][key] = r["score"]
        for scores in buckets.values():
            for key, rank in _ranks(scores).items():
                out[key]["rank" if scope == "org" else "rank_in_round"] = rank
    return out


def _complementary(out: dict) -> None:
    by_group = defaultdict(list)
    for key, r in out.items():
        by_group[(key[0], r["org"])].append(key)
    for keys in by_group.values():
        hidden = [k for k in keys if out[k]["suppressed"] and out[k]["n"] > 0]
        if not hidden:
            continue
        for k in sorted((k for k in keys if not out[k]["suppressed"]), key=lambda k: (out[k]["n"], k[1])):
            if len(hidden) >= 2 and sum(out[h]["n"] for h in hidden) >= 3:
                break
            out[k] = {"suppressed": True, "n": out[k]["n"], "org": out[k]["org"]}
            hidden.append(k)


def _dims(target_type: str) -> list[str]:
    return {"person": ["awareness", "skill", "performance", "solidarity"],
            "branch": ["close_members", "close_production", "close_service"],
            "committee": ["rally_members", "rally_employees", "rally_enterprise"]}[target_type]


GROUPS = {**{("person", p): 3 for p in range(101, 105)}, **{("person", p): 4 for p in range(201, 204)},
          **{("person", p): 6 for p in (301, 302)}, ("branch", 3): 2, ("branch", 4): 2, ("branch", 6): 5,
          ("committee", 2): 1, ("committee", 5): 1}


def _results(client, rid: int, admin, **query) -> dict:
    r = client.get(f"/api/v1/rounds/{rid}/results", query_string={"page_size": 500, **query}, headers=admin)
    assert r.status_code == 200, r.get_json()
    return {(i["target_type"], i["target_id"]): i for i in r.get_json()["items"]}


def test_three_way_results_match_an_independent_computation(make_round, survey, survey_client, sent, admin):
    rid = make_round(aggregation_chunk=3)["id"]
    # employee 213 skips member 203 → 203 has 2 raters (suppressed) and 201 is hidden with it
    given = _answer_all(survey_client, sent, random.Random(7), skip={(213, 203)})
    assert survey_client.get(f"/api/v1/rounds/{rid}/results", headers=admin).status_code == 409
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    got = _results(survey_client, rid, admin)
    want = expected_three_way(given, GROUPS)
    assert set(got) == set(want)
    for key, w in want.items():
        g = got[key]
        assert (g["suppressed"], g["n"], g["org_id"]) == (w["suppressed"], w["n"], w["org"]), key
        if w["suppressed"]:
            assert g["score"] is None and g["grade"] is None and g["dimensions"] == {} and g["rank"] is None
            continue
        assert g["score"] == round(float(w["score"]), 1) and g["grade"] == w["grade"], key
        assert g["dimensions"] == pytest.approx({d: float(w["dimensions"][d]) for d in _dims(key[0])})
        assert (g["rank"], g["rank_in_round"]) == (w["rank"], w["rank_in_round"]), key
    # the cases the data was built for
    assert got[("person", 203)]["suppressed"] and got[("person", 201)]["suppressed"]
    assert got[("committee", 5)]["suppressed"] and got[("committee", 2)]["suppressed"]
    assert not got[("person", 101)]["suppressed"] and got[("person", 101)]["n"] == 6


def test_summaries_never_reveal_a_suppressed_target(make_round, survey, survey_client, sent, admin):
    rid = make_round()["id"]
    _answer_all(survey_client, sent, random.Random(3), skip={(213, 203)})
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    got = _results(survey_client, rid, admin)
    summaries = survey_client.get(f"/api/v1/rounds/{rid}/summaries", headers=admin).get_json()["items"]
    for s in summaries:
        members = [r for r in got.values() if r["org_id"] == s["org_id"] and r["target_type"] == s["target_type"]]
        hidden = [r for r in members if r["suppressed"] and r["n"] > 0]
        if s["score"] is not None and hidden:
            # subtracting the published targets leaves at least two targets and min_group ratings together
            assert len(hidden) >= 2 and sum(r["n"] for r in hidden) >= 3
    branch6 = next(s for s in summaries if s["org_id"] == 5 and s["target_type"] == "branch")
    assert branch6["suppressed"] and branch6["score"] is None  # its only target is suppressed


def test_rerun_and_a_crash_midway_give_the_same_results(make_round, survey, survey_client, sent, admin):
    rid = make_round(aggregation_chunk=2)["id"]
    _answer_all(survey_client, sent, random.Random(11))
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


def test_pledge_evaluation_combines_parts_by_weight_and_reports_back(make_round, survey, survey_client, sent, admin):
    rid = make_round("pledge_evaluation")["id"]
    rng = random.Random(5)
    parts: dict = defaultdict(lambda: defaultdict(list))
    self_raters = {900: {101, 102}, 901: {102}}
    for person, token in sorted(invitations(sent).items()):
        ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
        assert {t["target_id"] for t in ballot["targets"]} == {900, 901}  # drafts are not evaluated
        answers = [{"target_type": "pledge", "target_id": t["target_id"], "dimension": "fulfilment",
                    "score": rng.randint(2, 5)} for t in ballot["targets"]]
        survey_client.post(f"/api/v1/ballots/{token}", json={"answers": answers})
        for a in answers:
            pid = a["target_id"]
            part = "self" if person in self_raters[pid] else ("peer" if person < 110 else "masses")
            parts[pid][part].append(a["score"])
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    got = _results(survey_client, rid, admin, target_type="pledge")
    weights = {"self": Fraction(2, 10), "peer": Fraction(3, 10), "masses": Fraction(5, 10)}
    for pid in (900, 901):
        usable = {p: _mean(s) for p, s in parts[pid].items() if p == "self" or len(s) >= 3}
        combined = sum(weights[p] * m for p, m in usable.items()) / sum(weights[p] for p in usable)
        assert got[("pledge", pid)]["score"] == round(float(combined * 20), 1)
        assert got[("pledge", pid)]["grade"] == _grade(combined * 20)
    assert got[("pledge", 900)]["parts"]["peer"] is None  # two peers only: left out, the rest renormalised
    [scores] = sent.of("pledge.evaluation_scores")
    assert scores["round_id"] == rid
    assert {s["pledge_id"]: s["score"] for s in scores["scores"]} == {
        900: got[("pledge", 900)]["score"], 901: got[("pledge", 901)]["score"]}
    [note] = [p for p in sent.of("notify.send") if p["category"] == "results"]
    assert note["recipients"]["person_ids"] == [101, 201, 301] and note["link"].endswith(f"/results/{rid}")


def test_results_roll_up_filters_and_scopes(make_round, survey, survey_client, sent, admin, auth_headers):
    rid = make_round()["id"]
    _answer_all(survey_client, sent, random.Random(1))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    branch_view = _results(survey_client, rid, auth_headers("org_admin", org=3))
    assert set(branch_view) == {("person", p) for p in range(101, 105)}
    committee_view = _results(survey_client, rid, auth_headers("org_admin", org=2), target_type="branch")
    assert set(committee_view) == {("branch", 3), ("branch", 4)}
    assert set(_results(survey_client, rid, admin, org_id=5)) == {("person", 301), ("person", 302), ("branch", 6)}
    outside = survey_client.get(f"/api/v1/rounds/{rid}/results", query_string={"org_id": 5},
                                headers=auth_headers("org_admin", org=3))
    assert outside.status_code == 404
    member = auth_headers("member", sub=101)
    assert survey_client.get(f"/api/v1/rounds/{rid}/results", headers=member).status_code == 403


def test_xlsx_has_one_sheet_per_target_type_and_the_page_one_chart_per_org(make_round, survey, survey_client, sent,
                                                                           admin):
    rid = make_round()["id"]
    _answer_all(survey_client, sent, random.Random(2))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    r = survey_client.get(f"/api/v1/rounds/{rid}/results?format=xlsx", headers=admin)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["党员（四强）", "支部（三贴近）", "党委（三凝聚）"]
    sheet = book["党员（四强）"]
    assert sheet.max_row == 1 + 9 and sheet["B1"].value == "名称" and sheet["E1"].value == "思想觉悟"
    page = survey_client.get(f"/results/{rid}", headers=admin)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("<svg") == 6  # orgs 1, 2, 3, 4, 5, 6 each rank something
    assert "参评率 10/10" in html and "炼钢一支部" in html
    assert survey_client.get(f"/results/{rid}").status_code == 401


def test_a_chunk_failing_for_good_marks_the_round_failed_and_a_rerun_recovers(make_round, survey, survey_client,
                                                                               sent, admin):
    from sqlalchemy.exc import OperationalError

    from services.survey.tasks import aggregation_failed

    rid = make_round(aggregation_chunk=2)["id"]
    _answer_all(survey_client, sent, random.Random(11))
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
