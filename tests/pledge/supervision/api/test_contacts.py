"""Contact points (联系点): a leader linked to a grassroots org, the visit log, counts per leader/org/unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pledge.supervision.world import TODAY, add_person, assert_error
from services.pledge.models import Org


def link(client, headers, leader: int, org: int, **extra):
    return client.post("/api/v1/contact-points", json={"leader_id": leader, "org_id": org, **extra}, headers=headers)


def visit(client, headers, point: int, day: date, notes: str = "调研承诺践诺情况"):
    return client.post(f"/api/v1/contact-points/{point}/visits", json={"visited_on": day.isoformat(), "notes": notes},
                       headers=headers)


def test_a_leader_is_linked_once_to_an_org(client, world, as_admin):
    created = link(client, as_admin, world.leader, world.branch1, since="2024-06-01", note="党委书记联系点")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["leader_name"], body["org_name"], body["visits"], body["last_visited_on"]) == \
        ("李书记", "炼钢一支部", 0, None)
    assert_error(link(client, as_admin, world.leader, world.branch1), 409, "contact_point_exists")
    assert "leader_id" in assert_error(link(client, as_admin, 999, world.branch1), 422, "validation_failed")["errors"]
    assert "org_id" in assert_error(link(client, as_admin, world.leader, 999), 422, "validation_failed")["errors"]


def test_the_leader_logs_visits_and_reads_them_back(client, world, as_admin, auth_headers):
    point = link(client, as_admin, world.leader, world.branch1).get_json()["id"]
    leader = auth_headers("member", sub=world.leader)
    for days_ago in (30, 2, 9):
        response = visit(client, leader, point, TODAY - timedelta(days=days_ago))
        assert response.status_code == 201, response.get_json()
    listed = client.get(f"/api/v1/contact-points/{point}/visits", headers=leader).get_json()
    assert [v["visited_on"] for v in listed["items"]] == [(TODAY - timedelta(days=d)).isoformat() for d in (2, 9, 30)]
    since = (TODAY - timedelta(days=10)).isoformat()
    assert client.get(f"/api/v1/contact-points/{point}/visits?visited_from={since}", headers=leader).get_json()[
        "total"] == 2
    one = client.get(f"/api/v1/contact-points/{point}", headers=leader).get_json()
    assert one["visits"] == 3 and one["last_visited_on"] == (TODAY - timedelta(days=2)).isoformat()
    mine = client.get("/api/v1/contact-points", headers=leader).get_json()
    assert [p["id"] for p in mine["items"]] == [point]


def test_visit_in_the_future_or_without_notes_is_refused(client, world, as_admin):
    point = link(client, as_admin, world.leader, world.branch1).get_json()["id"]
    future = visit(client, as_admin, point, TODAY + timedelta(days=3))
    assert "visited_on" in assert_error(future, 422, "validation_failed")["errors"]
    empty = visit(client, as_admin, point, TODAY, notes="")
    assert "notes" in assert_error(empty, 422, "validation_failed")["errors"]
    assert_error(visit(client, as_admin, 4242, TODAY), 404, "not_found")


def test_who_may_log_a_visit(client, world, as_admin, auth_headers):
    point = link(client, as_admin, world.leader, world.branch1).get_json()["id"]
    assert visit(client, auth_headers("org_admin", org=world.converter), point, TODAY).status_code == 201
    assert_error(visit(client, auth_headers("org_admin", org=world.coking), point, TODAY), 403, "org_forbidden")
    assert_error(visit(client, auth_headers("member", sub=world.member1), point, TODAY), 403, "org_forbidden")
    assert_error(visit(client, auth_headers("system"), point, TODAY), 403, "forbidden")


@pytest.fixture
def network(client, world, as_admin, pledge):
    """Two leaders: the group secretary links to three branches, a unit leader to one; some visits."""
    with pledge.db.session() as session:
        unit_leader = add_person(session, "L002", "钱厂长", session.get(Org, world.converter), ["secretary"]).id
    points = {}
    for leader, org in ((world.leader, world.branch1), (world.leader, world.branch2),
                        (world.leader, world.coking_branch), (unit_leader, world.branch1)):
        points[(leader, org)] = link(client, as_admin, leader, org).get_json()["id"]
    visits = {(world.leader, world.branch1): [1, 40], (world.leader, world.coking_branch): [3],
              (unit_leader, world.branch1): [5, 6, 7]}
    for key, days in visits.items():
        for d in days:
            assert visit(client, as_admin, points[key], TODAY - timedelta(days=d)).status_code == 201
    return unit_leader


def counts(client, headers, query: str) -> list[tuple]:
    page = client.get(f"/api/v1/contact-points/counts?{query}", headers=headers).get_json()
    assert page["total"] == len(page["items"]), page
    return [(i["id"], i["name"], i["contact_points"], i["visits"]) for i in page["items"]]


def test_counts_per_leader_org_and_unit(client, world, as_admin, network):
    unit_leader = network
    assert counts(client, as_admin, "group_by=leader") == [  # most visits first, then most contact points
        (world.leader, "李书记", 3, 3), (unit_leader, "钱厂长", 1, 3)]
    assert counts(client, as_admin, "group_by=org") == [
        (world.branch1, "炼钢一支部", 2, 5), (world.coking_branch, "炼焦支部", 1, 1),
        (world.branch2, "炼钢二支部", 1, 0)]
    assert counts(client, as_admin, "group_by=unit") == [
        (world.converter, "转炉厂党委", 3, 5), (world.coking, "焦化厂党委", 1, 1)]
    since = (TODAY - timedelta(days=30)).isoformat()
    assert counts(client, as_admin, f"group_by=leader&visited_from={since}") == [
        (unit_leader, "钱厂长", 1, 3), (world.leader, "李书记", 3, 2)]
    in_coking = counts(client, as_admin, f"group_by=leader&org_id={world.coking}&subtree=1")
    assert in_coking == [(world.leader, "李书记", 1, 1)]


def test_counts_and_lists_stay_in_the_callers_subtree(client, world, network, auth_headers):
    coking_admin = auth_headers("org_admin", org=world.coking)
    assert counts(client, coking_admin, "group_by=unit") == [(world.coking, "焦化厂党委", 1, 1)]
    listed = client.get("/api/v1/contact-points", headers=coking_admin).get_json()
    assert [p["org_id"] for p in listed["items"]] == [world.coking_branch]
    assert_error(client.get(f"/api/v1/contact-points/counts?org_id={world.converter}", headers=coking_admin),
                 403, "org_forbidden")
    member = auth_headers("member", sub=world.member1)
    assert {p["org_id"] for p in client.get("/api/v1/contact-points", headers=member).get_json()["items"]} == \
        {world.branch1}
    assert_error(client.get("/api/v1/contact-points/counts?group_by=everyone", headers=member), 422,
                 "validation_failed")
