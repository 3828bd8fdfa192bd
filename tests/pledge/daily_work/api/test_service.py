"""Posts and badges, volunteer service and 一助一 pairs over HTTP: lists per org and subtree, totals, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.db import utcnow
from shared.settings import Settings


def today():
    return utcnow().astimezone(Settings().zone).date()


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


# ---- posts -------------------------------------------------------------------------------------
def post_body(tree, **over):
    return {"org_id": tree.b1, "title": "转炉安全监护岗", "kind": "safety_volunteer", "holder_id": tree.m1,
            "since": days(-30), **over}


def test_posts_listed_per_org_and_subtree_active_or_not(api, tree):
    on_duty = api.post("/api/v1/posts", post_body(tree), status=201).get_json()
    assert on_duty["active"] is True and on_duty["holder_name"] == "张三"
    ended = api.post("/api/v1/posts", post_body(tree, kind="vanguard_post", holder_id=tree.s1, until=days(-1)),
                     status=201).get_json()
    assert ended["active"] is False
    api.post("/api/v1/posts", post_body(tree, org_id=tree.b3, holder_id=tree.m3, kind="badge"), status=201)

    def ids(query):
        return sorted(p["id"] for p in api.get(f"/api/v1/posts?{query}", status=200).get_json()["items"])

    assert ids(f"org_id={tree.b1}&active=1") == [on_duty["id"]]
    assert ids(f"org_id={tree.b1}&active=0") == [ended["id"]]
    assert len(ids(f"org_id={tree.c1}&subtree=1")) == 2 and ids(f"org_id={tree.c1}") == []
    assert len(ids(f"org_id={tree.g}&subtree=1&active=1")) == 2
    ending = api.post(f"/api/v1/posts/{on_duty['id']}/end", {"until": days(-2)}, status=200).get_json()
    assert ending["active"] is False
    assert api.get(f"/api/v1/posts/{on_duty['id']}", as_=("member", tree.m1), status=200).get_json()["until"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_post_refusals_and_bad_input(api, tree, lang):
    errors = api.post("/api/v1/posts", post_body(tree, holder_id=tree.m3), lang=lang, status=422).get_json()
    assert list(errors["errors"]) == ["holder_id"] and errors["message"].isascii() == (lang == "en")
    errors = api.post("/api/v1/posts", post_body(tree, until=days(-40)), status=422).get_json()["errors"]
    assert list(errors) == ["until"]
    errors = api.post("/api/v1/posts", {"org_id": tree.b1, "title": "", "kind": "hero", "since": "x"},
                      lang=lang, status=422).get_json()["errors"]
    assert {"title", "kind", "since", "holder_id"} <= set(errors)
    api.post("/api/v1/posts", post_body(tree), as_=("org_admin", tree.c2), status=403)
    api.post("/api/v1/posts", post_body(tree), as_=("member", tree.s1), status=403)
    pid = api.post("/api/v1/posts", post_body(tree), status=201).get_json()["id"]
    api.get(f"/api/v1/posts/{pid}", as_=("org_admin", tree.c2), status=403)
    api.post(f"/api/v1/posts/{pid}/end", {"until": days(0)}, as_=("org_admin", tree.c2), status=403)
    api.get("/api/v1/posts/99999", status=404)
    api.get(f"/api/v1/posts?org_id={tree.b1}", as_=("org_admin", tree.c2), status=403)


# ---- volunteering ------------------------------------------------------------------------------
def activity(tree, **over):
    return {"org_id": tree.c1, "title": "进社区义务维修", "kind": "community", "on": days(-3), "hours": 3.5,
            "person_ids": [tree.m1, tree.m2], **over}


def test_volunteer_hours_total_per_person_org_and_subtree_for_a_year(api, tree):
    first = api.post("/api/v1/volunteering", activity(tree), status=201).get_json()
    assert first["person_hours"] == 7.0
    api.post("/api/v1/volunteering", activity(tree, org_id=tree.b1, hours=2, person_ids=[tree.m1, tree.s1],
                                              kind="safety"), status=201)
    api.post("/api/v1/volunteering", activity(tree, org_id=tree.b3, person_ids=[tree.m3], hours=1), status=201)
    year = (today() - timedelta(days=3)).year

    def totals(query):
        return api.get(f"/api/v1/volunteering?{query}", status=200).get_json()["totals"]

    assert totals(f"org_id={tree.c1}&year={year}") == {"hours": 7.0, "people": 2, "activities": 1}
    assert totals(f"org_id={tree.c1}&subtree=1&year={year}") == {"hours": 11.0, "people": 3, "activities": 2}
    assert totals(f"org_id={tree.g}&subtree=1&year={year}")["hours"] == 12.0
    assert totals(f"person_id={tree.m1}&year={year}") == {"hours": 5.5, "people": 1, "activities": 2}
    assert totals(f"org_id={tree.g}&subtree=1&year={year - 1}") == {"hours": 0.0, "people": 0, "activities": 0}
    page = api.get(f"/api/v1/volunteering?org_id={tree.c1}&subtree=1&page_size=1", status=200).get_json()
    assert len(page["items"]) == 1 and page["total"] == 2 and page["totals"]["activities"] == 2


def test_volunteering_refusals_and_bad_input(api, tree):
    errors = api.post("/api/v1/volunteering", activity(tree, on=days(1)), status=422).get_json()["errors"]
    assert list(errors) == ["on"]
    errors = api.post("/api/v1/volunteering", activity(tree, person_ids=[tree.m1, tree.m3]), lang="en",
                      status=422).get_json()["errors"]
    assert list(errors) == ["person_ids.1"]
    errors = api.post("/api/v1/volunteering", activity(tree, hours=0, kind="x", person_ids=[]),
                      status=422).get_json()["errors"]
    assert {"hours", "kind", "person_ids"} <= set(errors)
    assert "hours" in api.post("/api/v1/volunteering", activity(tree, hours=25), status=422).get_json()["errors"]
    api.post("/api/v1/volunteering", activity(tree), as_=("org_admin", tree.c2), status=403)
    api.post("/api/v1/volunteering", activity(tree), as_=("member", tree.m1), status=403)
    api.get(f"/api/v1/volunteering?org_id={tree.c1}", as_=("org_admin", tree.c2), status=403)
    assert api.get("/api/v1/volunteering", as_=("org_admin", tree.c2), status=200).get_json()["total"] == 0


# ---- 一助一 ---------------------------------------------------------------------------------------
def test_mentorships_pair_a_party_member_with_a_colleague(api, tree):
    body = {"mentor_id": tree.s1, "mentee_id": tree.m1, "skill": "转炉炉前操作", "since": days(-10)}
    pair = api.post("/api/v1/mentorships", body, status=201).get_json()
    assert pair["org_id"] == tree.b1 and pair["active"] and pair["mentor_name"] == "李书记"
    api.post("/api/v1/mentorships", {**body, "mentor_id": tree.m3, "mentee_id": tree.m3}, status=422)
    listed = api.get(f"/api/v1/mentorships?org_id={tree.c1}&subtree=1", status=200).get_json()
    assert [p["id"] for p in listed["items"]] == [pair["id"]]
    assert api.get(f"/api/v1/mentorships?person_id={tree.m1}&active=1", status=200).get_json()["total"] == 1
    assert api.get(f"/api/v1/mentorships?org_id={tree.c1}", status=200).get_json()["total"] == 0


def test_mentorship_refusals_and_bad_input(api, tree):
    body = {"mentor_id": tree.s1, "mentee_id": tree.m1, "skill": "点检", "since": days(0)}
    errors = api.post("/api/v1/mentorships", {**body, "mentee_id": tree.s1, "until": days(-1)}, lang="en",
                      status=422).get_json()["errors"]
    assert set(errors) == {"mentee_id", "until"}
    assert list(api.post("/api/v1/mentorships", {**body, "mentor_id": 99999},
                         status=422).get_json()["errors"]) == ["mentor_id"]
    api.post("/api/v1/mentorships", body, as_=("org_admin", tree.c2), status=403)
    api.post("/api/v1/mentorships", body, as_=("member", tree.s1), status=403)
    api.post("/api/v1/mentorships", body, as_=("org_admin", tree.c1), status=201)
    api.get(f"/api/v1/mentorships?org_id={tree.b1}", as_=("org_admin", tree.c2), status=403)
    assert api.client.get("/api/v1/mentorships").status_code == 401
