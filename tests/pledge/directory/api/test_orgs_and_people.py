"""Orgs and people over HTTP: tree, subtree lists, role and org-subtree checks, directory events."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import Session

from services.pledge.directory import sync
from shared.directory import apply, counts, define_tables
from shared.messages import DirectoryChanged, OrgRecord


def test_create_org_and_person_publish_directory_events(api, tree, sent):
    org = api.post("/api/v1/orgs", {"name": "炼钢三支部", "code": "ZL3", "kind": "branch", "parent_id": tree.c1},
                   as_=("org_admin", tree.c1), status=201).get_json()
    assert org["path"].endswith(f"/{tree.c1}/{org['id']}/")
    person = api.post("/api/v1/people", {"name": "孙七", "employee_no": "E9", "org_id": org["id"],
                                         "party_member": True, "joined_party_on": "2004-02-29",
                                         "roles": ["secretary"], "email": "sun@example.com"},
                      as_="system", status=201).get_json()
    events = [DirectoryChanged.from_payload(p) for p in sent.of("survey.directory_changed")]
    assert events[0].orgs[0].code == "ZL3" and events[1].people[0].employee_no == "E9"
    assert events[1].people[0].joined_party_on == "2004-02-29" and len(sent.of("notify.directory_changed")) == 2
    api.get(f"/api/v1/people/{person['id']}", as_=("member", person["id"]), status=200)
    api.get(f"/api/v1/people/{person['id']}", as_=("member", tree.m1), status=403)


def test_org_admin_stays_in_their_subtree(api, tree):
    api.post("/api/v1/orgs", {"name": "x", "code": "X1", "kind": "branch", "parent_id": tree.c2},
             as_=("org_admin", tree.c1), status=403)
    api.post("/api/v1/orgs", {"name": "x", "code": "X2", "kind": "committee"}, as_=("org_admin", tree.c1),
             status=403)
    api.post("/api/v1/people", {"name": "x", "employee_no": "X", "org_id": tree.b3}, as_=("org_admin", tree.c1),
             status=403)
    api.post("/api/v1/people", {"name": "x", "employee_no": "X", "org_id": tree.b1}, as_=("member", tree.m1),
             status=403)
    api.get(f"/api/v1/people?org_id={tree.c2}&subtree=1", as_=("org_admin", tree.c1), status=403)


def test_conflicts_and_unknown_parents(api, tree):
    body = api.post("/api/v1/orgs", {"name": "重复", "code": "ZL", "kind": "committee", "parent_id": tree.g},
                    status=409).get_json()
    assert "code" in body["errors"]
    api.post("/api/v1/orgs", {"name": "孤儿", "code": "OR", "kind": "branch", "parent_id": 999}, status=422)
    api.post("/api/v1/people", {"name": "x", "employee_no": "E1", "org_id": tree.b1}, status=409)


def test_tree_is_nested(api, tree):
    root = api.get(f"/api/v1/orgs/{tree.g}/tree", as_=("member", tree.m1), status=200).get_json()
    assert root["name"] == "集团党委"
    assert [c["code"] for c in root["children"]] == ["ZL", "JH"]
    assert [c["code"] for c in root["children"][0]["children"]] == ["ZL1", "ZL2"]
    assert api.get(f"/api/v1/orgs/{tree.b3}/tree", status=200).get_json()["children"] == []
    api.get("/api/v1/orgs/9999/tree", status=404)


@pytest.mark.parametrize(("org", "subtree", "expected"), [
    ("g", True, 5), ("g", False, 0), ("c1", True, 4), ("c1", False, 1), ("b1", True, 2), ("c2", True, 1),
])
def test_people_by_org_and_subtree(api, tree, org, subtree, expected):
    org_id = getattr(tree, org)
    body = api.get(f"/api/v1/people?org_id={org_id}&subtree={int(subtree)}", as_=("org_admin", tree.g),
                   status=200).get_json()
    assert body["total"] == expected


def test_org_admin_lists_own_subtree_by_default(api, tree):
    body = api.get("/api/v1/people?subtree=1", as_=("org_admin", tree.c1), status=200).get_json()
    assert body["total"] == 4  # no org_id: the org admin's own org (and, with subtree=1, everything below)
    body = api.get(f"/api/v1/people?org_id={tree.c1}&subtree=1&party_member=1&q=张", as_=("org_admin", tree.c1),
                   status=200).get_json()
    assert [p["name"] for p in body["items"]] == ["张三"]
    api.get("/api/v1/people", as_=("member", tree.m1), status=403)


def test_sync_directory_sends_a_snapshot_that_rebuilds_a_projection(pledge, tree, sent):
    assert pledge.sync_directory() == {"messages": 2, "orgs": 6, "people": 5, "service_targets": 0}
    events = [DirectoryChanged.from_payload(p) for p in sent.of("survey.directory_changed")]
    assert events[0].snapshot and len(events[0].orgs) == 6 and not events[1].snapshot
    assert sync.sync_directory(pledge.unit_of_work, batch=2) == {"messages": 4, "orgs": 6, "people": 5}
    engine = create_engine("sqlite://")
    tables = define_tables(metadata := MetaData())
    metadata.create_all(engine)
    with Session(engine) as s:
        apply(s, tables, DirectoryChanged(orgs=[OrgRecord(99, "OLD", "旧组织", "branch", None, "/99/")]))
        for event in events:
            apply(s, tables, event)
        assert counts(s, tables) == {"orgs": 6, "people": 5}


def test_transfer_and_leaving_are_published(api, tree, sent):
    moved = api.patch(f"/api/v1/people/{tree.m1}", {"org_id": tree.b2, "roles": ["organizer"]},
                      as_=("org_admin", tree.c1), status=200).get_json()
    assert moved["org_id"] == tree.b2 and moved["roles"] == ["organizer"]
    api.patch(f"/api/v1/people/{tree.m1}", {"org_id": tree.b3}, as_=("org_admin", tree.c1), status=403)
    api.patch(f"/api/v1/people/{tree.m1}", {"org_id": 999}, status=422)
    api.patch(f"/api/v1/people/{tree.m1}", {"active": False}, as_="system", status=200)
    api.patch(f"/api/v1/people/{tree.m1}", {"employee_no": "X"}, status=422)
    events = [DirectoryChanged.from_payload(p) for p in sent.of("notify.directory_changed")]
    assert [(e.people[0].org_id, e.people[0].active) for e in events] == [(tree.b2, True), (tree.b2, False)]
    body = api.get(f"/api/v1/people?org_id={tree.b2}", status=200).get_json()
    assert body["total"] == 1  # the one who left is not listed
    api.post("/api/v1/pledges", {"pledger_type": "person", "pledger_id": tree.m1, "category": "first_class_image",
                                 "title": "x", "targets": [{"name": "a", "target": 1}], "due_on": "2030-01-01"},
             status=422)
