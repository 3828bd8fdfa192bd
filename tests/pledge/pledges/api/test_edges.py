"""Edges of pledge creation (issue 15): past due dates refused unless recording history, negative targets refused,
refusals entirely in the caller's language."""

from __future__ import annotations

from datetime import date, timedelta

from ...support import pledge_body

YESTERDAY = (date.today() - timedelta(days=2)).isoformat()  # before today in any time zone


def test_a_due_date_in_the_past_is_refused_naming_each_field(api, tree):
    body = pledge_body("org", tree.b1, due_on=YESTERDAY,
                       targets=[{"name": "降本", "unit": "万元", "target": 100, "due_on": YESTERDAY}])
    zh = api.post("/api/v1/pledges", body, status=422).get_json()
    assert set(zh["errors"]) == {"due_on", "targets.0.due_on"}
    assert zh["errors"]["due_on"][0].startswith("截止日期不能早于今天")
    en = api.post("/api/v1/pledges", body, lang="en", status=422).get_json()
    assert en["errors"]["due_on"][0].startswith("must not be before today")


def test_a_past_pledge_is_recorded_with_the_historical_flag(api, tree):
    pledge = api.post("/api/v1/pledges", {**pledge_body("org", tree.b1, due_on=YESTERDAY), "historical": True},
                      status=201).get_json()
    assert pledge["due_on"] == YESTERDAY and pledge["state"] == "draft"


def test_a_negative_target_is_refused(api, tree):
    body = pledge_body("org", tree.b1, targets=[{"name": "降本", "unit": "万元", "target": -5}])
    errors = api.post("/api/v1/pledges", body, status=422).get_json()["errors"]
    assert list(errors) == ["targets.0.target"] and errors["targets.0.target"] == ["不能小于 0"]


def test_a_refused_move_speaks_one_language(api, tree):
    pid = api.post("/api/v1/pledges", pledge_body("org", tree.b1), status=201).get_json()["id"]
    zh = api.post(f"/api/v1/pledges/{pid}/close", {"outcome": "fulfilled"}, status=409).get_json()["message"]
    assert zh == "当前状态为「草稿」，不能执行「结束」；可执行的操作：修改、提交审核、撤回"
    en = api.post(f"/api/v1/pledges/{pid}/close", {"outcome": "fulfilled"}, lang="en", status=409).get_json()
    assert en["message"] == "The current state is 'draft': 'close' is not allowed; allowed: edit, submit, withdraw"
