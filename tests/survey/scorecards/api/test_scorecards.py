"""四好 scorecards through the API: facts from pledge, a leadership round's results, the list and workbook,
the year's settings, refusals, the nightly recomputation (idempotent) and the chord."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from services.survey.aggregation import inline
from services.survey.scorecards import computing

from ...support import fill, invitations
from ..support import EXPECTED, FACTS, YEAR, YEAR_PERIOD, facts_event

LEADERSHIP_SCORES = {101: 5, 102: 4, 103: 3, 104: 4, 202: 5, 203: 4, 302: 2}


@pytest.fixture
def year_of_data(make_round, survey, survey_client, sent, admin):
    """The facts consumed, a leadership round with results: the year's raw material."""
    from services.survey.tasks import scorecard_facts

    rid = make_round(kind="leadership", min_group=2, **YEAR_PERIOD)["id"]
    for person, token in invitations(sent).items():
        ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
        survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot, LEADERSHIP_SCORES[person])})
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    sent.clear()
    assert scorecard_facts(message=facts_event()) == {"facts": 3, "dropped": 0}
    assert sent.of("survey.compute_scorecards") == [{"year": YEAR}]  # recomputation queued with the facts
    return survey


def _cards(client, headers, **query) -> dict[int, dict]:
    r = client.get("/api/v1/scorecards", query_string={"year": YEAR, **query}, headers=headers)
    assert r.status_code == 200, r.get_json()
    return {c["org_id"]: c for c in r.get_json()["items"]}


def test_scorecards_match_a_hand_computation(year_of_data, survey_client, admin):
    assert computing.run(year_of_data.unit_of_work, YEAR) == 5
    cards = _cards(survey_client, admin)
    assert set(cards) == set(EXPECTED)  # every committee and branch below the group root
    for org_id, want in EXPECTED.items():
        got = cards[org_id]
        assert {p: v for p, v in got["parts"].items() if v is not None} == want["parts"], org_id
        assert (got["score"], got["grade"], got["rank"], got["rank_in_parent"]) == (
            want["score"], want["grade"], want["rank"], want["rank_in_parent"]), org_id
    assert cards[3]["name"] == "炼钢一支部" and cards[3]["kind"] == "branch" and cards[3]["year"] == YEAR
    assert set(cards[5]["parts"]) == {"pledges", "pledge_evaluation", "three_way", "leadership", "inspections",
                                      "quarterly_comments", "demo_sites", "contacts"}


def test_filters_scope_and_workbook(year_of_data, survey_client, admin, auth_headers):
    computing.run(year_of_data.unit_of_work, YEAR)
    assert set(_cards(survey_client, admin, kind="committee")) == {2, 5}
    assert set(_cards(survey_client, admin, org_id=2)) == {2, 3, 4}
    assert set(_cards(survey_client, admin, org_id=2, subtree=0)) == {2}
    unit = auth_headers("org_admin", org=2)
    assert set(_cards(survey_client, unit)) == {2, 3, 4}  # an org admin reads its subtree only
    assert set(_cards(survey_client, auth_headers("system"))) == set(EXPECTED)
    r = survey_client.get("/api/v1/scorecards", query_string={"year": YEAR, "org_id": 5}, headers=unit)
    assert r.status_code == 403 and r.get_json()["error"] == "org_forbidden"
    r = survey_client.get("/api/v1/scorecards", query_string={"year": YEAR, "org_id": 999, "kind": "x"},
                          headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 422 and set(r.get_json()["errors"]) == {"kind"}
    r = survey_client.get("/api/v1/scorecards", query_string={"org_id": 999}, headers=admin)
    assert r.status_code == 422 and r.get_json()["errors"] == {"org_id": ["组织不存在"]}
    assert survey_client.get("/api/v1/scorecards").status_code == 401
    assert survey_client.get("/api/v1/scorecards", headers=auth_headers("member", sub=101)).status_code == 403
    r = survey_client.get("/api/v1/scorecards", query_string={"year": YEAR, "format": "xlsx"}, headers=admin)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["2026 四好 党委", "2026 四好 党支部"]
    rows = list(book["2026 四好 党支部"].iter_rows(values_only=True))
    assert rows[0][:2] == ("组织编号", "组织名称") and [row[0] for row in rows[1:]] == [4, 3, 6]  # by rank
    assert rows[2][10:12] == (85.0, "合格")


def test_settings_of_a_year(year_of_data, survey_client, admin, auth_headers, sent):
    r = survey_client.get(f"/api/v1/scorecards/settings/{YEAR}", headers=admin)
    assert r.status_code == 200 and r.get_json()["default"] and r.get_json()["weights"]["pledges"] == 0.2
    sent.clear()
    body = {"weights": {"leadership": 0, "inspections": 0.5}, "grade_bounds": {"好": 80, "较好": 60},
            "fail_grade": "一般"}
    r = survey_client.put(f"/api/v1/scorecards/settings/{YEAR}", json=body, headers=admin)
    assert r.status_code == 200, r.get_json()
    got = r.get_json()
    assert got["weights"]["leadership"] == 0 and got["weights"]["pledges"] == 0.2 and not got["default"]
    assert got["grade_bounds"] == {"好": 80, "较好": 60} and got["fail_grade"] == "一般"
    assert sent.of("survey.compute_scorecards") == [{"year": YEAR}]
    computing.run(year_of_data.unit_of_work, YEAR)
    cards = _cards(survey_client, admin)
    assert cards[4]["score"] is None and cards[4]["rank"] is None  # its only part now weighs nothing
    assert (cards[6]["score"], cards[6]["grade"]) == (60.0, "较好")
    # (.2·87.625 + .5·80 + .1·100 + .05·100) / .85 = 72.525 / .85 = 85.32…
    assert (cards[3]["score"], cards[3]["grade"], cards[3]["rank"]) == (85.3, "好", 1)


@pytest.mark.parametrize("body,fields", [
    ({"weights": {"bogus": 1}}, {"weights.bogus"}),
    ({"weights": {"pledges": -1, "contacts": "many"}}, {"weights.pledges", "weights.contacts"}),
    ({"weights": dict.fromkeys(["pledges", "pledge_evaluation", "three_way", "leadership", "inspections",
                                "quarterly_comments", "demo_sites", "contacts"], 0)}, {"weights"}),
    ({"grade_bounds": {"优秀": 120}}, {"grade_bounds.优秀.value"}),
    ({"grade_bounds": {}}, {"grade_bounds"}),
    ({"extra": 1}, {"extra"}),
    ({"weights": {"pledges": "NaN", "contacts": 1e400}}, {"weights.pledges", "weights.contacts"}),
    ({"weights": [1, 2], "fail_grade": ""}, {"weights._schema", "fail_grade"}),
])
def test_bad_settings_are_named(survey_client, group, admin, body, fields):
    r = survey_client.put(f"/api/v1/scorecards/settings/{YEAR}", json=body, headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 422 and set(r.get_json()["errors"]) == fields, r.get_json()
    assert r.get_json()["code"] == 422 and r.get_json()["message"]


def test_settings_refusals(survey_client, group, admin, auth_headers):
    url = f"/api/v1/scorecards/settings/{YEAR}"
    assert survey_client.put(url, json={}).status_code == 401
    r = survey_client.put(url, json={}, headers=auth_headers("org_admin", org=1))
    assert r.status_code == 403  # the group's organisation department alone sets the weights
    r = survey_client.put("/api/v1/scorecards/settings/1999", json={}, headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 422 and r.get_json()["errors"] == {"year": ["must be 2000–2100"]}
    r = survey_client.get("/api/v1/scorecards/settings/3000", headers=admin)
    assert r.status_code == 422 and r.get_json()["errors"] == {"year": ["年份应在 2000–2100 之间"]}


def test_late_and_partial_facts(year_of_data, survey_client, admin):
    from services.survey.tasks import scorecard_facts

    older = [FACTS[0].__class__(org_id=3, year=YEAR, inspections=9, rating_sum=9)]
    assert scorecard_facts(message=facts_event(older, as_of="2026-11-01"))["facts"] == 0  # late: ignored
    assert scorecard_facts(message=facts_event(FACTS[:1], as_of="2026-12-02")) == {"facts": 1, "dropped": 2}
    computing.run(year_of_data.unit_of_work, YEAR)
    cards = _cards(survey_client, admin)
    assert cards[6]["score"] is None and cards[2]["score"] is None and cards[3]["score"] == 85.0


def test_daily_recomputes_the_year_idempotently(year_of_data, survey_client, admin):
    first = year_of_data.daily(date(2026, 12, 31))
    assert first["scorecards"] == 5
    once = survey_client.get("/api/v1/scorecards", query_string={"year": YEAR}, headers=admin).get_json()
    assert year_of_data.daily(date(2026, 12, 31))["scorecards"] == 5
    again = survey_client.get("/api/v1/scorecards", query_string={"year": YEAR}, headers=admin).get_json()
    assert once == again and {c["score"] for c in once["items"]} >= {85.0, 90.0}
    zone = year_of_data.runtime.settings.zone  # computed "at" the end of the day replayed, not at the wall clock
    assert datetime.fromisoformat(once["items"][0]["computed_at"]) == datetime(2027, 1, 1, tzinfo=zone)
    assert year_of_data.daily(date(2025, 6, 1))["scorecards"] == 5  # another year: its own (empty) scorecards
    assert _cards(survey_client, admin)[4]["score"] == 90.0


def test_the_chord_over_orgs(year_of_data, survey_client, admin, monkeypatch):
    """The worker path, eagerly: compute_scorecards → one chunk task per chunk of orgs → finish ranks."""
    from services.survey import tasks

    monkeypatch.setattr(computing, "CHUNK", 2)
    celery = tasks.service.celery
    monkeypatch.setitem(celery.conf, "task_always_eager", True)
    monkeypatch.setitem(celery.conf, "task_eager_propagates", True)
    assert tasks.compute_scorecards(message={"year": YEAR}) == 3  # 5 orgs in chunks of 2
    cards = _cards(survey_client, admin)
    assert {o: (c["score"], c["rank"]) for o, c in cards.items()} == {
        o: (w["score"], w["rank"]) for o, w in EXPECTED.items()}


def test_the_page(year_of_data, survey_client, admin, auth_headers):
    computing.run(year_of_data.unit_of_work, YEAR)
    page = survey_client.get(f"/scorecards?year={YEAR}", headers=admin)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2026 年度四好领导班子考评" in html
    assert html.index('data-org="4"') < html.index('data-org="3"') < html.index('data-org="6"')  # by rank
    assert "85.0" in html and "好搭档好助手" in html
    scoped = survey_client.get(f"/scorecards?year={YEAR}", headers=auth_headers("org_admin", org=5))
    assert 'data-org="6"' in scoped.get_data(as_text=True) and 'data-org="3"' not in scoped.get_data(as_text=True)
    assert survey_client.get(f"/scorecards?year={YEAR}").status_code == 401
    r = survey_client.get("/scorecards?year=abc&kind=x", headers=admin)
    assert r.status_code == 422 and set(r.get_json()["errors"]) == {"year", "kind"}
