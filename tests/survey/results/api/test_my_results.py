"""GET /api/v1/me/results: a member reads the rows about themself and their own pledges, and nothing else."""

from __future__ import annotations

import random

from services.survey.aggregation import inline

from ...support import answer_all, invitations


def finished(make_round, survey, survey_client, sent, admin, kind="three_way", answer=None) -> int:
    sent.clear()
    rid = make_round(kind)["id"]
    if kind == "three_way":
        answer_all(survey_client, sent, random.Random(3), skip={(213, 203)})
    else:
        for person, token in sorted(invitations(sent).items()):
            ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
            answers = [{"target_type": "pledge", "target_id": t["target_id"], "dimension": "fulfilment",
                        "score": (answer or {}).get(person, 4)} for t in ballot["targets"]]
            assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": answers}).status_code == 201
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    return rid


def mine(client, headers, **query) -> dict:
    r = client.get("/api/v1/me/results", query_string=query, headers=headers)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_member_reads_their_own_rows_across_rounds_and_nothing_else(make_round, survey, survey_client, sent,
                                                                      admin, auth_headers):
    three_way = finished(make_round, survey, survey_client, sent, admin)
    pledges = finished(make_round, survey, survey_client, sent, admin, "pledge_evaluation", {102: 5})
    open_round = make_round()["id"]  # no results yet: nothing of it shows
    got = mine(survey_client, auth_headers("member", sub=102))
    assert got["total"] == 2 and got["page"] == 1
    rows = {(i["round_id"], i["target_type"], i["target_id"]): i for i in got["items"]}
    # newest round first; 炼钢一支部's own pledge (900) is the branch's, not 102's, although 102 rated it as self
    assert list(rows) == [(pledges, "pledge", 901), (three_way, "person", 102)]
    pledge = rows[(pledges, "pledge", 901)]
    assert pledge["round_kind"] == "pledge_evaluation" and pledge["round_title"] == "2026 年度评诺"
    assert pledge["own_self"] == 5.0  # the pledger sees their own self part
    person = rows[(three_way, "person", 102)]
    assert person["score"] is not None and person["suppression"] is None and person["n"] == 6
    assert "own_self" not in person
    assert all(i["round_id"] != open_round for i in got["items"])
    assert mine(survey_client, auth_headers("member", sub=102), round_id=three_way)["total"] == 1
    page = mine(survey_client, auth_headers("member", sub=102), page=2, page_size=1)
    assert [i["target_id"] for i in page["items"]] == [102] and page["total"] == 2


def test_a_withheld_row_stays_withheld_for_the_person_it_is_about(make_round, survey, survey_client, sent, admin,
                                                                    auth_headers):
    finished(make_round, survey, survey_client, sent, admin)
    [row] = mine(survey_client, auth_headers("member", sub=203))["items"]
    assert (row["target_id"], row["suppressed"], row["suppression"]) == (203, True, "min_group")
    assert row["score"] is None and row["dimensions"] == {} and row["n"] == 2
    assert mine(survey_client, auth_headers("member", sub=111))["items"] == []  # an employee is rated in no round


def test_only_a_member_token_names_a_person(survey_client, group, admin, auth_headers):
    assert survey_client.get("/api/v1/me/results").status_code == 401
    mine_as_admin = survey_client.get("/api/v1/me/results", headers=admin)  # admins pass every role check
    assert mine_as_admin.status_code == 200 and mine_as_admin.get_json()["items"] == []  # but are nobody rated
    assert survey_client.get("/api/v1/me/results", headers=auth_headers("org_admin", org=3)).status_code == 403
    assert survey_client.get("/api/v1/me/results", headers=auth_headers("system")).status_code == 403
    r = survey_client.get("/api/v1/me/results", query_string={"round_id": 0, "page": 0},
                          headers=auth_headers("member", sub=101))
    assert r.status_code == 422 and {"round_id", "page"} <= set(r.get_json()["errors"])
