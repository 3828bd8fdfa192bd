"""Rounds through the API: create with settings, open (ballots + invitations), progress, close, 409s, access."""

from __future__ import annotations

from datetime import timedelta

from services.survey.models import Ballot, Round
from services.survey.rounds import actions
from services.survey.rounds.reminders import remind_due
from shared.db import utcnow

from ...support import fill, invitations


def test_three_way_round_opens_with_one_ballot_per_rater_and_invites_them(make_round, sent, survey):
    opened = make_round(invite_chunk=4)
    # raters: employees (6+3+2) rate members, members (4+3+2) rate their branch (incl. secretaries)
    assert opened["state"] == "open" and opened["ballots"] == 20
    invites = [p for p in sent.of("notify.send") if p["category"] == "survey_invite"]
    assert len(invites) == 5 and all(len(p["items"]) <= 4 for p in invites)
    assert len({p["key"] for p in invites}) == 5
    links = invitations(sent)
    assert len(links) == 20 and all(len(token) >= 22 for token in links.values())
    assert all(i["link"].startswith("http://127.0.0.1:5002/b/") for p in invites for i in p["items"])
    with survey.db.session() as s:
        hashes = {b.token_hash for b in s.query(Ballot)}
    assert not set(links.values()) & hashes  # only hashes are stored


def test_round_settings_default_to_domain_rules_and_can_be_set(make_round, survey_client, admin):
    created = make_round(open=False, min_group=4, weights={"peer": 0.4})
    s = created["settings"]
    assert (s["scale_max"], s["trim_min"], s["min_group"]) == (5, 5, 4)
    assert s["weights"] == {"self": 0.2, "peer": 0.4, "masses": 0.5}
    assert [g["min"] for g in s["grades"]] == [90.0, 75.0, 60.0] and s["fail_grade"] == "不合格"
    got = survey_client.get(f"/api/v1/rounds/{created['id']}", headers=admin).get_json()
    assert got["state"] == "draft" and got["ballots"] == 0


def test_bad_round_bodies_are_422_naming_every_field(survey_client, group, admin):
    r = survey_client.post("/api/v1/rounds", json={"kind": "poll", "title": "", "root_org_id": 999, "closes_at": "x",
                                                   "settings": {"min_group": 0, "colour": "red"}, "extra": 1},
                           headers=admin)
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    for name in ("kind", "title", "closes_at", "settings.min_group", "settings.colour", "extra"):
        assert name in errors, errors
    r = survey_client.post("/api/v1/rounds", json={"kind": "three_way", "title": "t", "root_org_id": 999,
                                                   "closes_at": (utcnow() + timedelta(days=1)).isoformat()},
                           headers=admin)
    assert r.status_code == 422 and "root_org_id" in r.get_json()["errors"]


def test_illegal_moves_are_409_naming_state_and_allowed(make_round, survey_client, admin):
    rid = make_round()["id"]
    r = survey_client.post(f"/api/v1/rounds/{rid}/open", headers=admin)
    assert r.status_code == 409
    body = r.get_json()
    assert body["errors"]["state"] == ["open"] and "close" in body["errors"]["allowed_actions"]
    assert survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin).get_json()["state"] == "closed"
    assert survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin).status_code == 409
    assert survey_client.post("/api/v1/rounds/999/close", headers=admin).status_code == 404


def test_org_admins_act_only_on_their_subtree(make_round, survey_client, auth_headers):
    rid = make_round(open=False, root=2)["id"]
    assert survey_client.post(f"/api/v1/rounds/{rid}/open", headers=auth_headers("org_admin", org=5)).status_code == 403
    assert survey_client.post(f"/api/v1/rounds/{rid}/open", headers=auth_headers("member", sub=101)).status_code == 403
    assert survey_client.post(f"/api/v1/rounds/{rid}/open").status_code == 401
    assert survey_client.post(f"/api/v1/rounds/{rid}/open", headers=auth_headers("org_admin", org=2)).status_code == 200
    # a branch admin inside the round reads its own part of the progress; a sibling committee nothing
    progress = survey_client.get(f"/api/v1/rounds/{rid}/progress", headers=auth_headers("org_admin", org=3))
    assert progress.status_code == 200 and {o["org_id"] for o in progress.get_json()["by_org"]} == {3}
    assert survey_client.get(f"/api/v1/rounds/{rid}/progress",
                             headers=auth_headers("org_admin", org=5)).status_code == 403


def test_progress_counts_issued_and_used_per_org(make_round, survey_client, admin, sent):
    rid = make_round()["id"]
    token = invitations(sent)[111]
    ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
    assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot)}).status_code == 201
    progress = survey_client.get(f"/api/v1/rounds/{rid}/progress", headers=admin).get_json()
    assert (progress["issued"], progress["used"]) == (20, 1)
    assert {o["org_id"]: (o["issued"], o["used"]) for o in progress["by_org"]} == {3: (10, 1), 4: (6, 0), 6: (4, 0)}


def test_scheduler_closes_due_rounds_and_queues_aggregation(make_round, survey, sent):
    rid = make_round(hours=1)["id"]
    with survey.unit_of_work() as ctx:
        assert actions.close_due(ctx) == []
    with survey.unit_of_work(clock=lambda: utcnow() + timedelta(hours=2)) as ctx:
        assert actions.close_due(ctx) == [rid]
    with survey.db.session() as s:
        assert s.get(Round, rid).state == "closed"
    assert {"round_id": rid, "rerun": False} in sent.of("survey.aggregate_round")


def test_reminder_goes_once_a_day_before_closing_with_a_fresh_working_link(make_round, survey, survey_client, sent):
    rid = make_round(hours=48)["id"]
    first = invitations(sent)
    used = first[101]
    ballot = survey_client.get(f"/api/v1/ballots/{used}").get_json()
    assert survey_client.post(f"/api/v1/ballots/{used}", json={"answers": fill(ballot)}).status_code == 201
    with survey.unit_of_work() as ctx:
        assert remind_due(ctx) == {}
    with survey.unit_of_work(clock=lambda: utcnow() + timedelta(hours=25)) as ctx:
        assert remind_due(ctx) == {rid: 19}
    with survey.unit_of_work(clock=lambda: utcnow() + timedelta(hours=26)) as ctx:
        assert remind_due(ctx) == {}
    reminders = invitations(sent, "survey_reminder")
    assert set(reminders) == set(first) - {101}
    assert reminders[111] != first[111]
    assert survey_client.get(f"/api/v1/ballots/{reminders[111]}").status_code == 200
    assert survey_client.get(f"/api/v1/ballots/{first[111]}").status_code == 200
    with survey.unit_of_work() as ctx:
        actions.close(ctx, ctx.session.get(Round, rid))
    with survey.db.session() as s:
        assert s.query(Ballot).filter(Ballot.reminder_hash.is_not(None)).count() == 0
