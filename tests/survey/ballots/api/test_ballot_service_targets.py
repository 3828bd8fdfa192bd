"""三测评 ballots show, per target, the 三服务 service targets it set for the round's period."""

from __future__ import annotations

from services.survey.directory import service_targets
from shared.messages import ServiceTargetsChanged

from ...directory.api.test_service_targets_changed import target
from ...support import invitations

YEAR = {"period_start": "2026-01-01", "period_end": "2026-12-31"}


def _promise(survey) -> None:
    with survey.db.session() as s:
        service_targets.apply(s, ServiceTargetsChanged(targets=[
            target(1, ("person", 101), title="带好两名新徒弟", content="每月考核一次"),
            target(2, ("person", 101), start="2025-01-01", end="2025-12-31"),  # another year: not shown
            target(3, ("org", 3), title="每周走访班组", beneficiaries="members"),
            target(4, ("org", 2), title="解决支部活动场地", beneficiaries="branches"),
            target(5, ("person", 102), active=False),  # withdrawn
        ]))


def test_three_way_ballot_lists_each_targets_service_targets(group, make_round, survey_client, sent):
    _promise(group)
    make_round(**YEAR)
    tokens = invitations(sent)
    employee = survey_client.get(f"/api/v1/ballots/{tokens[111]}").get_json()
    promised = {t["target_id"]: t["service_targets"] for t in employee["targets"]}
    assert promised[101] == [{"id": 1, "title": "带好两名新徒弟", "content": "每月考核一次"}]
    assert promised[102] == [] and promised[103] == []
    secretary = survey_client.get(f"/api/v1/ballots/{tokens[101]}").get_json()
    shown = {(t["target_type"], t["target_id"]): [s["id"] for s in t["service_targets"]] for t in secretary["targets"]}
    assert shown == {("branch", 3): [3], ("committee", 2): [4]}


def test_phone_page_shows_them_beside_the_questions(group, make_round, survey_client, sent):
    _promise(group)
    make_round(**YEAR)
    html = survey_client.get(f"/b/{invitations(sent)[111]}").get_data(as_text=True)
    assert 'id="service-targets"' in html and "带好两名新徒弟" in html and "每月考核一次" in html


def test_other_kinds_show_none_and_a_backwards_period_is_refused(group, make_round, survey_client, sent, admin):
    _promise(group)
    make_round(kind="pledge_evaluation", **YEAR)
    ballot = survey_client.get(f"/api/v1/ballots/{invitations(sent)[101]}").get_json()
    assert all(t["service_targets"] == [] for t in ballot["targets"])
    body = {"kind": "three_way", "title": "t", "root_org_id": 1, "closes_at": "2099-01-01T00:00:00+00:00",
            "settings": {"period_start": "2026-06-30", "period_end": "2026-01-01"}}
    r = survey_client.post("/api/v1/rounds", json=body, headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 422 and "settings.period_end" in r.get_json()["errors"]
    r = survey_client.post("/api/v1/rounds", json={**body, "settings": {"period_start": "x"}}, headers=admin)
    assert r.status_code == 422 and "settings.period_start" in r.get_json()["errors"]
