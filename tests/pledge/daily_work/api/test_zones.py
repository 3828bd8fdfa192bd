"""Zones (党员责任区) over HTTP: holders from the org, checks with a result per guarantee, incidents; refusals
by role and subtree, bad input naming the field (zh and en)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.pledge.daily_work.domain.zones import FIVE_S
from shared.db import utcnow
from shared.settings import Settings

URL = "/api/v1/zones"


def today():
    return utcnow().astimezone(Settings().zone).date()


def zone(api, tree, lang=None, **over):
    body = {"org_id": tree.b1, "name": "转炉平台5S责任区", "kind": "five_s", "holder_ids": [tree.m1, tree.s1]}
    body.update(over)
    return api.post(URL, {k: v for k, v in body.items() if v is not None}, lang=lang)


def make_zone(api, tree, **over) -> dict:
    response = zone(api, tree, **over)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_five_s_zone_gets_the_five_guarantees_and_shows_its_record(api, tree):
    z = make_zone(api, tree, since=(today() - timedelta(days=40)).isoformat())
    assert z["guarantees"] == list(FIVE_S) and z["holder_ids"] == sorted([tree.m1, tree.s1])
    assert z["days_without_incident"] == 40 and z["last_check"] is None
    assert (z["checks_passed"], z["checks_total"]) == (0, 0)
    all_hold = dict.fromkeys(FIVE_S, True)
    api.post(f"{URL}/{z['id']}/checks", {"checked_on": (today() - timedelta(days=20)).isoformat(),
                                          "results": all_hold}, status=201)
    failed = api.post(f"{URL}/{z['id']}/checks", {"checked_on": today().isoformat(), "note": "地面油污",
                                                   "results": {**all_hold, "five_s_standards": False}},
                      status=201).get_json()
    assert failed["passed"] is False
    api.post(f"{URL}/{z['id']}/incidents", {"occurred_on": (today() - timedelta(days=3)).isoformat(),
                                             "kind": "equipment", "note": "皮带跑偏"}, status=201)
    shown = api.get(f"{URL}/{z['id']}", as_=("member", tree.m1), status=200).get_json()
    assert shown["days_without_incident"] == 3
    assert (shown["checks_passed"], shown["checks_total"]) == (1, 2)
    assert shown["last_check"]["id"] == failed["id"] and shown["last_check"]["passed"] is False
    assert api.get(f"{URL}/{z['id']}/checks", status=200).get_json()["total"] == 2
    assert api.get(f"{URL}/{z['id']}/incidents", status=200).get_json()["items"][0]["kind"] == "equipment"


def test_a_responsibility_zone_names_its_guarantees_and_checks_use_them(api, tree):
    body = {"kind": "responsibility", "guarantees": ["设备点检到位", "无跑冒滴漏"], "holder_ids": [tree.m1]}
    z = make_zone(api, tree, **body)
    errors = api.post(f"{URL}/{z['id']}/checks", {"checked_on": today().isoformat(),
                                                   "results": {"设备点检到位": True, "targets_on_time": True}},
                      lang="en", status=422).get_json()["errors"]
    assert set(errors) == {"results.targets_on_time", "results.无跑冒滴漏"}
    errors = zone(api, tree, kind="responsibility", guarantees=None, holder_ids=[tree.m1]).get_json()["errors"]
    assert list(errors) == ["guarantees"]


def test_lists_by_org_and_subtree(api, tree):
    make_zone(api, tree)
    make_zone(api, tree, org_id=tree.b3, holder_ids=[tree.m3])
    names = lambda q: [z["org_id"] for z in api.get(f"{URL}?{q}", status=200).get_json()["items"]]  # noqa: E731
    assert names(f"org_id={tree.c1}") == []
    assert names(f"org_id={tree.c1}&subtree=1") == [tree.b1]
    assert sorted(names(f"org_id={tree.g}&subtree=1")) == sorted([tree.b1, tree.b3])
    assert names("") and len(names("kind=responsibility")) == 0
    assert api.get(URL, as_=("org_admin", tree.c2), status=200).get_json()["total"] == 1
    api.get(f"{URL}?org_id={tree.b1}", as_=("org_admin", tree.c2), status=403)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_future_dates_outsiders_and_bad_fields_are_422_naming_the_field(api, tree, lang):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    errors = zone(api, tree, holder_ids=[tree.m1, tree.m3], lang=lang).get_json()["errors"]
    assert list(errors) == ["holder_ids.1"]  # m3 is of 炼焦支部, not of 炼钢一支部
    assert list(zone(api, tree, holder_ids=[99999]).get_json()["errors"]) == ["holder_ids.0"]
    assert list(zone(api, tree, since=tomorrow).get_json()["errors"]) == ["since"]
    assert list(zone(api, tree, org_id=99999).get_json()["errors"]) == ["org_id"]
    bad = api.post(URL, {"org_id": tree.b1, "name": "", "kind": "6s", "holder_ids": [], "colour": 1}, lang=lang,
                   status=422).get_json()
    assert {"name", "kind", "holder_ids", "colour"} <= set(bad["errors"])
    assert bad["message"].isascii() == (lang == "en")
    z = make_zone(api, tree)
    check = api.post(f"{URL}/{z['id']}/checks", {"checked_on": tomorrow, "results": dict.fromkeys(FIVE_S, True)},
                     lang=lang, status=422).get_json()
    assert list(check["errors"]) == ["checked_on"]
    incident = api.post(f"{URL}/{z['id']}/incidents", {"occurred_on": tomorrow, "kind": "safety"}, lang=lang,
                        status=422).get_json()
    assert list(incident["errors"]) == ["occurred_on"]
    assert "kind" in api.post(f"{URL}/{z['id']}/incidents", {"occurred_on": today().isoformat(), "kind": "fire"},
                              status=422).get_json()["errors"]


def test_refusals_by_role_and_subtree(api, tree):
    z = make_zone(api, tree)
    body = {"org_id": tree.b1, "name": "x", "kind": "five_s", "holder_ids": [tree.m1]}
    api.post(URL, body, as_=("member", tree.s1), status=403)
    api.post(URL, body, as_=("org_admin", tree.c2), status=403)
    api.post(URL, body, as_=("org_admin", tree.c1), status=201)
    check = {"checked_on": today().isoformat(), "results": dict.fromkeys(FIVE_S, True)}
    api.post(f"{URL}/{z['id']}/checks", check, as_=("org_admin", tree.c2), status=403)
    api.post(f"{URL}/{z['id']}/checks", check, as_=("member", tree.m1), status=403)
    api.get(f"{URL}/{z['id']}", as_=("member", tree.m3), status=403)
    api.get(f"{URL}/{z['id']}", as_=("org_admin", tree.c2), status=403)
    api.get(f"{URL}/99999", status=404)
    api.post(f"{URL}/99999/incidents", {"occurred_on": today().isoformat(), "kind": "safety"}, status=404)
    assert api.client.get(URL).status_code == 401
