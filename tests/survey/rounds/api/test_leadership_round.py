"""A 好搭档/好助手 (``leadership``) round through the API: ballots, anonymity of the answers, results, suppression."""

from __future__ import annotations

import io
from fractions import Fraction

from openpyxl import load_workbook

from services.survey.aggregation import inline
from services.survey.models import Answer

from ...support import fill, invitations, results

ABILITIES = ["political_quality", "teamwork", "execution", "management", "innovation"]


def test_leadership_round_ballots_results_and_suppression(make_round, survey, survey_client, sent, admin):
    rid = make_round(kind="leadership", min_group=2)["id"]
    tokens = invitations(sent)
    # branch 3's team is 101 (secretary) and 102 (committee member); 103 and 104 rate the team;
    # branch 4's and branch 6's teams are a secretary alone: only the team, by 202/203 and by 302
    assert sorted(tokens) == [101, 102, 103, 104, 202, 203, 302]
    secretary = survey_client.get(f"/api/v1/ballots/{tokens[101]}").get_json()
    assert [(t["target_type"], t["target_id"]) for t in secretary["targets"]] == [("leader", 102)]
    assert secretary["targets"][0]["dimensions"] == ABILITIES
    assert [d["label"] for d in secretary["dimensions"]] == ["思想政治素质", "团结协作能力", "工作执行能力",
                                                             "科学管理能力", "开拓创新能力"]
    member = survey_client.get(f"/api/v1/ballots/{tokens[103]}").get_json()
    assert [(t["target_type"], t["target_id"], t["name"]) for t in member["targets"]] == [
        ("team", 3, "炼钢一支部领导班子")]
    scores = {101: 5, 102: 4, 103: 3, 104: 4, 202: 5, 203: 4, 302: 2}
    for person, token in tokens.items():
        ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
        assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot, scores[person])}
                                  ).status_code == 201
    # anonymous as every kind: no column ties an answer to a ballot or a person
    assert not {"ballot_id", "person_id"} & set(Answer.__table__.columns.keys())
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    got = results(survey_client, rid, admin)
    team3 = got[("team", 3)]
    want = (2, float(Fraction(7, 2) * 20), "基本合格", 2)
    assert (team3["n"], team3["score"], team3["grade"], team3["org_id"]) == want
    assert team3["dimensions"] == {a: 3.5 for a in ABILITIES}
    assert (got[("team", 4)]["score"], got[("team", 4)]["rank"]) == (90.0, 1) and team3["rank"] == 2
    # a leader rated by one colleague, team 6 by one member: below min_group, withheld with their reason
    for key in (("leader", 101), ("leader", 102), ("team", 6)):
        assert got[key]["suppressed"] and got[key]["score"] is None
    r = survey_client.get(f"/api/v1/rounds/{rid}/results", query_string={"target_type": "team"}, headers=admin)
    assert {i["target_id"] for i in r.get_json()["items"]} == {3, 4, 6}
    book = load_workbook(io.BytesIO(survey_client.get(f"/api/v1/rounds/{rid}/results?format=xlsx", headers=admin).data))
    assert book.sheetnames == ["班子成员（好搭档）", "领导班子（好助手）"]
    page = survey_client.get(f"/results/{rid}", headers=admin)
    assert page.status_code == 200 and "炼钢一支部领导班子" in page.get_data(as_text=True)


def test_leadership_kind_is_listed_and_an_unknown_kind_refused(survey_client, group, admin):
    body = {"kind": "leadership", "title": "2026 年度好搭档好助手测评", "root_org_id": 1,
            "closes_at": "2099-01-01T00:00:00+00:00"}
    r = survey_client.post("/api/v1/rounds", json=body, headers=admin)
    assert r.status_code == 201 and r.get_json()["kind"] == "leadership"
    r = survey_client.post("/api/v1/rounds", json={**body, "kind": "boss"}, headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 422 and "kind" in r.get_json()["errors"]
