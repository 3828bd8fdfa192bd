"""Inspections (routine / unannounced) with linked pledges, and quarterly comments (每季点评), over HTTP."""

from __future__ import annotations

from datetime import timedelta

from pledge.supervision.world import TODAY, assert_error
from services.pledge.supervision.domain.rules import quarter_of


def inspection(world, **overrides) -> dict:
    body = {"org_id": world.branch1, "kind": "unannounced", "visited_on": TODAY.isoformat(),
            "inspector_id": world.inspector, "findings": "承诺已上墙公开，台账完整", "rating": 4,
            "pledge_ids": [world.pledge1]}
    body.update(overrides)
    return body


def test_inspection_is_recorded_with_its_pledges_and_read_back(client, world, as_admin):
    created = client.post("/api/v1/inspections", json=inspection(world), headers=as_admin)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["kind"] == "unannounced" and body["rating"] == 4 and body["pledge_ids"] == [world.pledge1]
    assert body["org_id"] == world.branch1 and body["inspector_id"] == world.inspector
    one = client.get(f"/api/v1/inspections/{body['id']}", headers=as_admin).get_json()
    assert one == body


def test_inspections_list_by_org_and_subtree_and_pledge(client, world, as_admin):
    for org, kind in ((world.branch1, "routine"), (world.branch2, "unannounced"), (world.coking_branch, "routine")):
        response = client.post("/api/v1/inspections", json=inspection(world, org_id=org, kind=kind, pledge_ids=[]),
                               headers=as_admin)
        assert response.status_code == 201
    client.post("/api/v1/inspections", json=inspection(world), headers=as_admin)

    def orgs(query: str) -> list[int]:
        page = client.get(f"/api/v1/inspections?{query}", headers=as_admin).get_json()
        assert page["total"] == len(page["items"])
        return sorted(i["org_id"] for i in page["items"])

    assert orgs(f"org_id={world.converter}") == []
    assert orgs(f"org_id={world.converter}&subtree=1") == [world.branch1, world.branch1, world.branch2]
    assert orgs(f"org_id={world.root}&subtree=1&kind=routine") == [world.branch1, world.coking_branch]
    assert orgs(f"pledge_id={world.pledge1}") == [world.branch1]
    assert orgs("") == sorted([world.branch1, world.branch1, world.branch2, world.coking_branch])


def test_inspection_bad_input_names_every_field(client, world, as_admin):
    body = {"org_id": world.branch1, "kind": "surprise", "visited_on": "2024-02-30", "inspector_id": world.inspector,
            "findings": "", "rating": 6, "extra": 1}
    errors = assert_error(client.post("/api/v1/inspections", json=body, headers=as_admin),
                          422, "validation_failed")["errors"]
    assert {"kind", "visited_on", "findings", "rating", "extra"} <= set(errors)


def test_inspection_refers_to_existing_things_of_the_inspected_org(client, world, as_admin):
    future = (TODAY + timedelta(days=2)).isoformat()
    cases = [
        ({"org_id": 99999}, "org_id"),
        ({"inspector_id": 99999}, "inspector_id"),
        ({"visited_on": future}, "visited_on"),
        ({"pledge_ids": [world.pledge1, world.coking_pledge]}, "pledge_ids.1"),
        ({"pledge_ids": [424242]}, "pledge_ids.0"),
    ]
    for override, field in cases:
        response = client.post("/api/v1/inspections", json=inspection(world, **override), headers=as_admin)
        assert field in assert_error(response, 422, "validation_failed")["errors"], override


def test_inspection_messages_in_english(client, world, auth_headers):
    response = client.post("/api/v1/inspections", json=inspection(world, inspector_id=99999),
                           headers=auth_headers("admin", lang="en"))
    body = assert_error(response, 422, "validation_failed")
    assert body["errors"]["inspector_id"] == ["no such person"]
    assert_error(client.get("/api/v1/inspections/777", headers=auth_headers("admin", lang="en")), 404, "not_found")


def test_inspection_pledges_are_deduplicated(client, world, as_admin):
    body = client.post("/api/v1/inspections", json=inspection(world, pledge_ids=[world.pledge1, world.pledge1]),
                       headers=as_admin).get_json()
    assert body["pledge_ids"] == [world.pledge1]


# ---- quarterly comments ----------------------------------------------------------------------
def this_quarter() -> dict:
    year, quarter = quarter_of(TODAY)
    return {"year": year, "quarter": quarter}


def test_one_comment_per_org_per_quarter(client, world, auth_headers):
    headers = auth_headers("org_admin", org=world.converter)
    url = f"/api/v1/orgs/{world.branch1}/comments"
    created = client.post(url, json={**this_quarter(), "text": "承诺兑现较好，亮诺形式需丰富"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["org_id"] == world.branch1
    again = client.post(url, json={**this_quarter(), "text": "再次点评"}, headers=headers)
    body = assert_error(again, 409, "comment_exists")
    assert str(this_quarter()["year"]) in body["message"]
    english = client.post(url, json={**this_quarter(), "text": "x"}, headers=auth_headers("admin", lang="en"))
    assert assert_error(english, 409, "comment_exists")["message"].startswith("This org already has a comment")
    one = client.get(f"{url}/{created.get_json()['id']}", headers=headers)
    assert one.get_json()["text"] == "承诺兑现较好，亮诺形式需丰富"


def test_comment_author_defaults_to_the_calling_member_and_must_exist(client, world, auth_headers):
    url = f"/api/v1/orgs/{world.branch2}/comments"
    both = auth_headers("org_admin", "member", org=world.converter, sub=world.leader)
    assert client.post(url, json={**this_quarter(), "text": "好"}, headers=both).get_json()["author_id"] == world.leader
    bad = client.post(f"/api/v1/orgs/{world.branch1}/comments",
                      json={**this_quarter(), "text": "好", "author_id": 5555}, headers=auth_headers("admin"))
    assert "author_id" in assert_error(bad, 422, "validation_failed")["errors"]


def test_comment_for_a_quarter_not_begun_is_refused(client, world, as_admin):
    year, quarter = quarter_of(TODAY)
    nxt = {"year": year + 1, "quarter": 1} if quarter == 4 else {"year": year, "quarter": quarter + 1}
    response = client.post(f"/api/v1/orgs/{world.branch1}/comments", json={**nxt, "text": "x"}, headers=as_admin)
    assert "quarter" in assert_error(response, 422, "validation_failed")["errors"]
    bad_quarter = client.post(f"/api/v1/orgs/{world.branch1}/comments", json={"year": 2024, "quarter": 5, "text": "x"},
                              headers=as_admin)
    assert "quarter" in assert_error(bad_quarter, 422, "validation_failed")["errors"]


def test_comments_list_by_quarter_and_subtree(client, world, as_admin):
    for org in (world.branch1, world.branch2, world.coking_branch):
        for q in ({"year": 2024, "quarter": 3}, {"year": 2024, "quarter": 4}):
            assert client.post(f"/api/v1/orgs/{org}/comments", json={**q, "text": "点评"},
                               headers=as_admin).status_code == 201
    page = client.get(f"/api/v1/orgs/{world.converter}/comments?subtree=1&year=2024&quarter=4",
                      headers=as_admin).get_json()
    assert page["total"] == 2 and {c["org_id"] for c in page["items"]} == {world.branch1, world.branch2}
    own = client.get(f"/api/v1/orgs/{world.branch1}/comments", headers=as_admin).get_json()
    assert [(c["year"], c["quarter"]) for c in own["items"]] == [(2024, 4), (2024, 3)]
    assert client.get(f"/api/v1/orgs/{world.converter}/comments", headers=as_admin).get_json()["total"] == 0
    assert_error(client.get("/api/v1/orgs/9999/comments", headers=as_admin), 404, "not_found")
    assert_error(client.get(f"/api/v1/orgs/{world.branch2}/comments/1", headers=as_admin), 404, "not_found")


def test_orgs_awaiting_their_quarterly_comment(client, world, as_admin, auth_headers):
    url = f"/api/v1/orgs/{world.branch1}/comments"
    assert client.post(url, json={**this_quarter(), "text": "好"}, headers=as_admin).status_code == 201

    def awaiting(org: int, query: str = "", headers=as_admin) -> list[int]:
        page = client.get(f"/api/v1/orgs/{org}/comments/awaiting?{query}", headers=headers).get_json()
        return [o["id"] for o in page["items"]]

    assert awaiting(world.root) == [world.converter, world.branch2, world.coking, world.coking_branch]
    assert awaiting(world.root, "kind=branch") == [world.branch2, world.coking_branch]
    earlier = awaiting(world.root, "year=2024&quarter=1&kind=branch")
    assert earlier == [world.branch1, world.branch2, world.coking_branch]
    assert awaiting(world.converter, headers=auth_headers("org_admin", org=world.converter)) == [world.branch2]
    assert_error(client.get(f"/api/v1/orgs/{world.converter}/comments/awaiting",
                            headers=auth_headers("org_admin", org=world.coking)), 403, "org_forbidden")


def test_ids_no_row_can_have_are_404_or_422_never_500(client, world, as_admin, auth_headers):
    huge = 99999999999999999999
    for url in (f"/api/v1/inspections/{huge}", f"/api/v1/demo-sites/{huge}", f"/api/v1/orgs/{huge}/comments",
                f"/api/v1/contact-points/{huge}/visits", f"/api/v1/demo-sites/1/actions/{huge}/complete"):
        method = "POST" if url.endswith("complete") else "GET"
        response = client.open(url, method=method, json={"done_on": TODAY.isoformat()} if method == "POST" else None,
                               headers=as_admin)
        assert_error(response, 404, "not_found")
    for url in (f"/api/v1/inspections?org_id={huge}", f"/api/v1/inspections?pledge_id={huge}",
                f"/api/v1/contact-points?leader_id={huge}", "/api/v1/demo-sites?org_id=0"):
        assert_error(client.get(url, headers=as_admin), 422, "validation_failed")
    body = inspection(world, org_id=huge, inspector_id=2**40, pledge_ids=[huge])
    errors = assert_error(client.post("/api/v1/inspections", json=body, headers=as_admin), 422,
                          "validation_failed")["errors"]
    assert {"org_id", "pledge_ids.0"} <= set(errors)  # beyond 64 bits: refused before anything else runs
    body = inspection(world, org_id=2**40, inspector_id=2**40, pledge_ids=[2**40])
    errors = assert_error(client.post("/api/v1/inspections", json=body, headers=as_admin), 422,
                          "validation_failed")["errors"]
    assert {"org_id", "inspector_id", "pledge_ids.0"} <= set(errors)
    stranger = auth_headers("member", sub=str(huge))
    assert_error(client.get(f"/api/v1/inspections?org_id={world.branch1}", headers=stranger), 403, "forbidden")


def test_a_body_that_is_not_an_object_is_refused(client, world, as_admin):
    assert_error(client.post("/api/v1/inspections", json=[1, 2], headers=as_admin), 422, "validation_failed")
    headers = {**as_admin, "Content-Type": "application/json"}
    response = client.post("/api/v1/inspections", data="{oops", headers=headers)
    assert_error(response, 400, "bad_json")
