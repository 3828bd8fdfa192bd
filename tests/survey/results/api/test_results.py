"""Results as the API, the spreadsheet and the page show them: roll-up filters and scopes, summaries that never
reveal a suppressed target, 评诺 parts by weight and what goes back to pledge and notify."""

from __future__ import annotations

import io
import random
from collections import defaultdict
from fractions import Fraction

from openpyxl import load_workbook
from sqlalchemy import select

from services.survey.aggregation import inline
from services.survey.results.models import Result
from services.survey.rounds.models import RoundTarget

from ...expected import grade, mean
from ...support import answer_all, invitations, results


def test_summaries_never_reveal_a_suppressed_target(make_round, survey, survey_client, sent, admin):
    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(3), skip={(213, 203)})
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    got = results(survey_client, rid, admin)
    summaries = survey_client.get(f"/api/v1/rounds/{rid}/summaries", headers=admin).get_json()["items"]
    for s in summaries:
        members = [r for r in got.values() if r["org_id"] == s["org_id"] and r["target_type"] == s["target_type"]]
        hidden = [r for r in members if r["suppressed"] and r["n"] > 0]
        if s["score"] is not None and hidden:
            # subtracting the published targets leaves at least two targets and min_group ratings together
            assert len(hidden) >= 2 and sum(r["n"] for r in hidden) >= 3
    branch6 = next(s for s in summaries if s["org_id"] == 5 and s["target_type"] == "branch")
    assert branch6["suppressed"] and branch6["score"] is None  # its only target is suppressed


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
    got = results(survey_client, rid, admin, target_type="pledge")
    weights = {"self": Fraction(2, 10), "peer": Fraction(3, 10), "masses": Fraction(5, 10)}
    for pid in (900, 901):
        # every part with fewer than 3 raters (here each self part: one or two people) is left out
        usable = {p: mean(s) for p, s in parts[pid].items() if len(s) >= 3}
        combined = sum(weights[p] * m for p, m in usable.items()) / sum(weights[p] for p in usable)
        assert got[("pledge", pid)]["score"] == round(float(combined * 20), 1)
        assert got[("pledge", pid)]["grade"] == grade(combined * 20)
    assert got[("pledge", 900)]["parts"]["peer"] is None  # two peers only: left out, the rest renormalised
    assert got[("pledge", 900)]["parts"]["self"] is None  # two committee members: not published on its own
    assert got[("pledge", 901)]["parts"]["self"] is None  # the pledger's own answer: not published
    with survey.db.session() as session:  # …but kept apart for the pledger (person 102) to see
        own = dict(session.execute(select(RoundTarget.target_id, Result.own_self)
                                   .join(Result, Result.target_ref == RoundTarget.id)
                                   .where(Result.round_id == rid, RoundTarget.target_type == "pledge")).all())
    assert own == {900: None, 901: float(mean(parts[901]["self"]))}
    [scores] = sent.of("pledge.evaluation_scores")
    assert scores["round_id"] == rid
    assert {s["pledge_id"]: s["score"] for s in scores["scores"]} == {
        900: got[("pledge", 900)]["score"], 901: got[("pledge", 901)]["score"]}
    [note] = [p for p in sent.of("notify.send") if p["category"] == "results"]
    assert [i["person_id"] for i in note["items"]] == [101, 201, 301] and note["private"]
    assert all(f"/results/{rid}?grant=" in i["link"] for i in note["items"])


def test_results_roll_up_filters_and_scopes(make_round, survey, survey_client, sent, admin, auth_headers):
    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(1))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    branch_view = results(survey_client, rid, auth_headers("org_admin", org=3))
    assert set(branch_view) == {("person", p) for p in range(101, 105)}
    committee_view = results(survey_client, rid, auth_headers("org_admin", org=2), target_type="branch")
    assert set(committee_view) == {("branch", 3), ("branch", 4)}
    assert set(results(survey_client, rid, admin, org_id=5)) == {("person", 301), ("person", 302), ("branch", 6)}
    outside = survey_client.get(f"/api/v1/rounds/{rid}/results", query_string={"org_id": 5},
                                headers=auth_headers("org_admin", org=3))
    assert outside.status_code == 404
    member = auth_headers("member", sub=101)
    assert survey_client.get(f"/api/v1/rounds/{rid}/results", headers=member).status_code == 403


def test_xlsx_has_one_sheet_per_target_type_and_the_page_one_chart_per_org(make_round, survey, survey_client, sent,
                                                                           admin):
    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(2))
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


def test_each_withheld_row_says_why_and_no_more_is_withheld_than_needed(make_round, survey, survey_client, sent,
                                                                        admin):
    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(3), skip={(213, 203)})  # 党员203: two raters only
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    got = results(survey_client, rid, admin)
    assert got[("person", 203)]["suppression"] == "min_group" and got[("person", 203)]["score"] is None
    # branch 4's total would give 203's figure away beside 201 and 202: one of them (not both) is withheld too
    pair = [got[("person", p)] for p in (201, 202)]
    assert sorted(str(r["suppression"]) for r in pair) == ["None", "complementary"]
    assert [r["score"] is None for r in pair].count(True) == 1
    assert got[("branch", 6)]["suppression"] == "min_group"  # two members rate it
    # branch 6's two members have two raters each: withheld for themselves; the org total is withheld, nothing more
    assert {got[("person", p)]["suppression"] for p in (301, 302)} == {"min_group"}
    published = [r for r in got.values() if not r["suppressed"]]
    assert published and all(r["suppression"] is None for r in published)
    assert {r["suppression"] for r in got.values() if r["suppressed"]} <= {"min_group", "complementary"}
