"""GET /api/v1/rounds: filters, paging in the contract's shape, and what each caller may see."""

from __future__ import annotations


def ids(client, headers, **query) -> list[int]:
    r = client.get("/api/v1/rounds", query_string=query, headers=headers)
    assert r.status_code == 200, r.get_json()
    return [i["id"] for i in r.get_json()["items"]]


def test_rounds_are_listed_newest_first_filtered_and_paged(make_round, survey_client, admin):
    group = make_round()["id"]
    draft = make_round("pledge_evaluation", open=False)["id"]
    unit = make_round(root=5)["id"]
    assert ids(survey_client, admin) == [unit, draft, group]
    assert ids(survey_client, admin, state="draft") == [draft]
    assert ids(survey_client, admin, kind="three_way") == [unit, group]
    assert ids(survey_client, admin, root_org_id=5) == [unit]
    page = survey_client.get("/api/v1/rounds", query_string={"page": 2, "page_size": 2}, headers=admin).get_json()
    assert {k: page[k] for k in ("total", "page", "page_size")} == {"total": 3, "page": 2, "page_size": 2}
    assert [i["id"] for i in page["items"]] == [group]
    [item] = page["items"]
    assert item["state"] == "open" and item["ballots"] == 20 and item["title"] == "2026 年度三测评"


def test_bad_filters_are_422_naming_each_field(survey_client, group, admin):
    r = survey_client.get("/api/v1/rounds", query_string={"state": "nope", "kind": "x", "page_size": 0},
                           headers=admin)
    assert r.status_code == 422
    assert {"state", "kind", "page_size"} <= set(r.get_json()["errors"])


def test_org_admins_see_the_rounds_over_their_subtree_and_those_their_org_is_in(make_round, survey_client,
                                                                                auth_headers):
    group = make_round()["id"]  # root 1: every org takes part
    unit2 = make_round(root=2)["id"]
    unit5 = make_round(root=5)["id"]
    assert ids(survey_client, auth_headers("org_admin", org=2)) == [unit2, group]
    assert ids(survey_client, auth_headers("org_admin", org=6)) == [unit5, group]
    assert ids(survey_client, auth_headers("org_admin", org=1)) == [unit5, unit2, group]
    assert ids(survey_client, auth_headers("org_admin", org=999)) == []  # an org the directory does not know
    assert ids(survey_client, auth_headers("system")) == [unit5, unit2, group]
    assert survey_client.get("/api/v1/rounds", headers=auth_headers("member", sub=101)).status_code == 403
    assert survey_client.get("/api/v1/rounds").status_code == 401
