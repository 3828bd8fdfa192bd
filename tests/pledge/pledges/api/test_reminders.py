"""Nightly reminders: due in 7 days, due today, weekly while overdue, look-back at quarter start — once per date."""

from __future__ import annotations

from datetime import date, timedelta

from pledge.support import published_pledge
from shared.messages import SendNotification

DAY = date(2026, 4, 1)  # the first day of a quarter


def _notifications(sent) -> list[SendNotification]:
    return [SendNotification.from_payload(p) for p in sent.of("notify.send")]


def test_daily_sends_each_reminder_once_per_date(api, tree, pledge, sent):
    due = {name: (DAY + timedelta(days=d)).isoformat() for name, d in
           (("in7", 7), ("today", 0), ("late7", -7), ("late3", -3), ("later", 30))}
    ids = {name: published_pledge(api, "person", tree.m1, due_on=day, title=name, historical=True)
           for name, day in due.items()}
    org_pledge = published_pledge(api, "org", tree.b2, due_on=due["today"], title="支部承诺", historical=True)
    draft = api.post("/api/v1/pledges", {"pledger_type": "org", "pledger_id": tree.b3, "category": "key_tasks",
                                         "title": "草稿", "targets": [{"name": "a", "target": 1}],
                                         "due_on": due["today"], "historical": True}, status=201).get_json()["id"]
    sent.clear()

    report = pledge.daily(DAY)
    assert report["pledge_due"] == 4 and report["lookback"] == 2
    assert report["zone_check"] == 0 and report["post_ending"] == 0
    notes = _notifications(sent)
    due_notes = {n.items[0].link.split("?")[0].rsplit("/", 1)[1]: n for n in notes if n.category == "pledge_due"}
    assert set(due_notes) == {str(ids["in7"]), str(ids["today"]), str(ids["late7"]), str(org_pledge)}
    assert str(draft) not in due_notes
    def to(note):
        return [i.person_id for i in note.items]
    assert to(due_notes[str(ids["in7"])]) == [tree.m1]
    assert to(due_notes[str(ids["late7"])]) == [tree.m1, tree.s1]  # + the branch secretary
    assert "已逾期 7 天" in due_notes[str(ids["late7"])].subject
    assert to(due_notes[str(org_pledge)]) == [tree.sc1]  # no branch secretary: the committee's
    lookback = [n for n in notes if n.category == "lookback"]
    assert sorted(n.recipients.org_id for n in lookback) == [tree.b1, tree.b2]
    assert {n.key for n in lookback} == {f"lookback:{tree.b1}:2026Q2", f"lookback:{tree.b2}:2026Q2"}

    sent.clear()
    assert pledge.daily(DAY) == {"pledge_due": 0, "lookback": 0, "coverage": 0, "scorecard_facts": 6,
                                 "zone_check": 0, "post_ending": 0}
    assert sent.of("notify.send") == []
    later = pledge.daily(DAY + timedelta(days=7))
    assert later["pledge_due"] == 4 and later["lookback"] == 0  # weekly while overdue
    assert later["zone_check"] == 0 and later["post_ending"] == 0


def test_a_complete_pledge_gets_no_overdue_reminders(api, tree, pledge, sent):
    late = (DAY - timedelta(days=7)).isoformat()
    done = published_pledge(api, "person", tree.m1, due_on=late, title="已完成", historical=True,
                            targets=[{"name": "产量", "target": 10},
                                     {"name": "事故", "target": 0, "direction": "at_most"}])
    api.post(f"/api/v1/pledges/{done}/progress", {"values": {"产量": 12, "事故": 0}}, status=201)
    shown = api.get(f"/api/v1/pledges/{done}", status=200).get_json()
    assert shown["completion"] == 1.0 and shown["overdue"] is False
    sent.clear()
    assert pledge.daily(DAY)["pledge_due"] == 0
    assert pledge.daily(DAY + timedelta(days=7))["pledge_due"] == 0


def test_three_accidents_against_zero_are_not_met(api, tree):
    pid = published_pledge(api, "person", tree.m1, targets=[{"name": "事故", "unit": "起", "target": 0,
                                                             "direction": "at_most"}])
    body = api.post(f"/api/v1/pledges/{pid}/progress", {"values": {"事故": 3}}, status=201).get_json()
    assert body["completion"] == 0.0 and body["targets"][0]["direction"] == "at_most"
    row = api.get(f"/api/v1/orgs/{tree.b1}/ledger", status=200).get_json()["items"][0]
    assert row["completion"] == 0.0 and row["targets"][0]["direction"] == "at_most"
    body = {"pledger_type": "person", "pledger_id": tree.m1, "category": "first_class_service", "title": "x",
            "targets": [{"name": "a", "target": 1, "direction": "up"}], "due_on": "2099-12-31"}
    bad = api.post("/api/v1/pledges", body, lang="en", status=422).get_json()
    assert "targets" in bad["errors"] or any(k.startswith("targets") for k in bad["errors"])
