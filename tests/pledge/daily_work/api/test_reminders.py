"""Nightly daily-work reminders through notify: a zone check due (monthly by default) to its holders, weekly
while undone; a post ending within 7 days to its holder and the secretary — each once."""

from __future__ import annotations

from datetime import timedelta

from services.pledge.daily_work.domain.zones import FIVE_S
from shared.db import utcnow
from shared.messages import SendNotification
from shared.settings import Settings


def _notes(sent) -> list[SendNotification]:
    return [SendNotification.from_payload(p) for p in sent.of("notify.send")]


def test_zone_checks_due_and_posts_ending_are_reminded_once(api, tree, pledge, sent):
    today = utcnow().astimezone(Settings().zone).date()
    since = (today - timedelta(days=30)).isoformat()
    due = api.post("/api/v1/zones", {"org_id": tree.b1, "name": "炉前5S责任区", "kind": "five_s", "since": since,
                                     "holder_ids": [tree.m1, tree.s1]}, status=201).get_json()
    assert due["next_check_due"] == today.isoformat()
    checked = api.post("/api/v1/zones", {"org_id": tree.b1, "name": "已检查责任区", "kind": "five_s", "since": since,
                                         "holder_ids": [tree.m1]}, status=201).get_json()
    api.post(f"/api/v1/zones/{checked['id']}/checks", {"checked_on": (today - timedelta(days=5)).isoformat(),
                                                        "results": dict.fromkeys(FIVE_S, True)}, status=201)
    ending = api.post("/api/v1/posts", {"org_id": tree.b1, "title": "安全监护岗", "kind": "safety_volunteer",
                                        "holder_id": tree.m1, "since": since,
                                        "until": (today + timedelta(days=7)).isoformat()}, status=201).get_json()
    api.post("/api/v1/posts", {"org_id": tree.b1, "title": "长期岗", "kind": "vanguard_post", "holder_id": tree.m1,
                               "since": since, "until": (today + timedelta(days=8)).isoformat()}, status=201)
    sent.clear()

    report = pledge.daily(today)
    assert (report["zone_check"], report["post_ending"]) == (1, 1)
    notes = {n.category: n for n in _notes(sent)}
    assert notes["zone_check"].recipients.person_ids == sorted([tree.m1, tree.s1])
    assert "炉前5S责任区" in notes["zone_check"].subject and notes["zone_check"].link.endswith(f"/board/{tree.b1}")
    assert notes["zone_check"].link.startswith("http")
    assert notes["post_ending"].recipients.person_ids == [tree.m1, tree.s1]  # the holder and the secretary
    assert ending["until"] in notes["post_ending"].body

    sent.clear()
    again = pledge.daily(today)
    assert (again["zone_check"], again["post_ending"]) == (0, 0) and _notes(sent) == []
    tomorrow = pledge.daily(today + timedelta(days=1))
    assert (tomorrow["zone_check"], tomorrow["post_ending"]) == (0, 1)  # the other post now ends within 7 days
    assert pledge.daily(today + timedelta(days=7))["zone_check"] == 1  # weekly while the check stays undone
