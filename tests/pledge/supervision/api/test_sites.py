"""Demonstration sites (示范点): branch and post sites, actions, monthly management evaluations, over HTTP."""

from __future__ import annotations

from datetime import timedelta

from pledge.supervision.world import TODAY, assert_error


def make_site(client, headers, org_id: int, **extra) -> dict:
    body = {"org_id": org_id, "kind": "branch", "level": "key",
            "goals": {"party_building": "支部标准化", "management": "精细管理", "economic": "降本 8450 万元"}}
    body.update(extra)
    response = client.post("/api/v1/demo-sites", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_branch_site_takes_the_branch_name_and_post_site_its_post(client, world, as_admin):
    branch = make_site(client, as_admin, world.branch1)
    summary = (branch["name"], branch["kind"], branch["level"], branch["year"])
    assert summary == ("炼钢一支部", "branch", "key", TODAY.year)
    assert branch["goals"]["economic"] == "降本 8450 万元" and branch["org_name"] == "炼钢一支部"
    post = make_site(client, as_admin, world.branch1, kind="post", post_name="转炉炉长岗", level="general", year=2024)
    assert (post["name"], post["post_name"], post["year"]) == ("转炉炉长岗", "转炉炉长岗", 2024)
    again = client.post("/api/v1/demo-sites", json={"org_id": world.branch1, "kind": "branch", "level": "general"},
                        headers=as_admin)
    assert "炼钢一支部" in assert_error(again, 409, "demo_site_exists")["message"]


def test_site_input_is_validated(client, world, as_admin):
    cases = [
        ({"org_id": world.branch1, "kind": "post", "level": "key"}, "post_name"),
        ({"org_id": world.converter, "kind": "branch", "level": "key"}, "org_id"),
        ({"org_id": 4040, "kind": "branch", "level": "key"}, "org_id"),
        ({"org_id": world.branch1, "kind": "branch", "level": "top"}, "level"),
        ({"org_id": world.branch1, "kind": "branch", "level": "key", "goals": {"safety": "x"}}, "goals.safety"),
    ]
    for body, field in cases:
        errors = assert_error(client.post("/api/v1/demo-sites", json=body, headers=as_admin), 422,
                              "validation_failed")["errors"]
        assert field in errors, (body, errors)


def test_sites_list_key_before_general_and_filters(client, world, as_admin):
    make_site(client, as_admin, world.branch1, level="general")
    make_site(client, as_admin, world.branch2, level="key")
    make_site(client, as_admin, world.coking_branch, level="key")
    page = client.get(f"/api/v1/demo-sites?org_id={world.converter}&subtree=1", headers=as_admin).get_json()
    assert [(s["org_id"], s["level"]) for s in page["items"]] == [(world.branch2, "key"), (world.branch1, "general")]
    keys = client.get("/api/v1/demo-sites?level=key", headers=as_admin).get_json()
    assert keys["total"] == 2
    assert client.get("/api/v1/demo-sites?page_size=1&page=3", headers=as_admin).get_json()["items"] != []


def test_actions_added_completed_and_counted(client, world, as_admin):
    site = make_site(client, as_admin, world.branch1)
    url = f"/api/v1/demo-sites/{site['id']}/actions"
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    prescribed = client.post(url, json={"kind": "prescribed", "line": "party_building", "title": "主题党日",
                                        "due_on": yesterday}, headers=as_admin)
    assert prescribed.status_code == 201, prescribed.get_json()
    optional = client.post(url, json={"kind": "optional", "line": "management", "title": "党员先锋岗挂牌"},
                           headers=as_admin).get_json()
    done = client.post(f"{url}/{optional['id']}/complete", json={"done_on": TODAY.isoformat(), "note": "已挂牌"},
                       headers=as_admin)
    assert done.status_code == 200 and done.get_json()["done_on"] == TODAY.isoformat()
    twice = client.post(f"{url}/{optional['id']}/complete", json={"done_on": TODAY.isoformat()}, headers=as_admin)
    assert TODAY.isoformat() in assert_error(twice, 409, "action_done")["message"]
    listed = client.get(url, headers=as_admin).get_json()
    assert [a["kind"] for a in listed["items"]] == ["prescribed", "optional"]
    assert client.get(f"{url}?kind=optional", headers=as_admin).get_json()["total"] == 1
    detail = client.get(f"/api/v1/demo-sites/{site['id']}", headers=as_admin).get_json()
    assert detail["actions"]["prescribed"] == {"total": 1, "done": 0, "overdue": 1, "rate": 0.0}
    assert detail["actions"]["optional"]["rate"] == 1.0
    bad_line = client.post(url, json={"kind": "prescribed", "line": "safety", "title": "x"}, headers=as_admin)
    assert "line" in assert_error(bad_line, 422, "validation_failed")["errors"]
    assert_error(client.post(f"{url}/9999/complete", json={"done_on": TODAY.isoformat()}, headers=as_admin),
                 404, "not_found")


def test_one_evaluation_per_site_per_month_and_progress_on_three_lines(client, world, as_admin):
    site = make_site(client, as_admin, world.branch1)
    url = f"/api/v1/demo-sites/{site['id']}/evaluations"
    for month, scores in ((1, (80, 60, 85)), (2, (88, 62, 90))):
        body = {"year": 2024, "month": month, "party_building": scores[0], "management": scores[1],
                "economic": scores[2], "evaluator_id": world.inspector}
        response = client.post(url, json=body, headers=as_admin)
        assert response.status_code == 201, response.get_json()
    assert response.get_json()["overall"] == 80.0
    dup = client.post(url, json={"year": 2024, "month": 2, "party_building": 1, "management": 1, "economic": 1},
                      headers=as_admin)
    assert_error(dup, 409, "evaluation_exists")
    listed = client.get(url, headers=as_admin).get_json()
    assert [e["month"] for e in listed["items"]] == [2, 1]
    detail = client.get(f"/api/v1/demo-sites/{site['id']}", headers=as_admin).get_json()
    assert detail["progress"]["party_building"] == {"months": 2, "latest": 88.0, "mean": 84.0, "trend": 8.0}
    assert detail["lagging_lines"] == ["management"]


def test_evaluation_input_is_validated(client, world, as_admin):
    site = make_site(client, as_admin, world.branch1)
    url = f"/api/v1/demo-sites/{site['id']}/evaluations"
    nxt = TODAY.replace(day=1) + timedelta(days=32)
    cases = [
        ({"year": 2024, "month": 13, "party_building": 50, "management": 50, "economic": 50}, "month"),
        ({"year": 2024, "month": 1, "party_building": 101, "management": 50, "economic": 50}, "party_building"),
        ({"year": nxt.year, "month": nxt.month, "party_building": 1, "management": 1, "economic": 1}, "month"),
        ({"year": 2024, "month": 1, "party_building": 1, "management": 1, "economic": 1, "evaluator_id": 999},
         "evaluator_id"),
        ({"year": 2024, "month": 1, "management": 1, "economic": 1}, "party_building"),
    ]
    for body, field in cases:
        errors = assert_error(client.post(url, json=body, headers=as_admin), 422, "validation_failed")["errors"]
        assert field in errors, (body, errors)
    assert_error(client.get("/api/v1/demo-sites/31337/evaluations", headers=as_admin), 404, "not_found")
