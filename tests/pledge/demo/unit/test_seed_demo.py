"""``xianfeng seed-demo``: the group shaped like the article, pledges in every state, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from services.pledge.models import Carrier, Org, Person, Pledge
from services.pledge.pledges.domain.lifecycle import STATES


def test_seed_demo_builds_the_article_group_once(pledge, sent):
    report = pledge.seed_demo()
    assert report["orgs"] == 1 + 22 + 49 and report["carriers"] == 5 and report["pledges"] > 150
    with pledge.db.session() as s:
        units = s.scalars(select(Org.name).where(Org.parent_id == s.scalar(select(Org.id).where(Org.code == "HG"))))
        assert {"转炉厂党委", "焦化厂党委", "维检中心党委", "设备制造分公司党委"} <= set(units)
        assert s.scalar(select(func.count()).where(Org.kind == "branch")) >= 34
        people = s.scalar(select(func.count()).select_from(Person))
        assert 2500 <= people <= 4000
        leap = s.scalar(select(func.count()).where(func.extract("month", Person.joined_party_on) == 2,
                                                   func.extract("day", Person.joined_party_on) == 29))
        assert leap > 0
        states = set(s.scalars(select(Pledge.state).distinct()))
        assert states == set(STATES)
        assert s.scalar(select(func.count()).where(Pledge.exemplar.is_(True))) > 0
        assert s.scalar(select(Carrier.title).where(Carrier.parent_id.is_(None))) == "钢铁先锋"
        revising = s.scalar(select(func.count()).where(Pledge.state == "submitted", Pledge.version == 2))
        assert revising > 0
    assert report["supervision"]["demo_sites"] == 8
    daily = report["daily_work"]
    assert daily["zones"] >= 6 and daily["posts"] >= 8 and daily["activities"] >= 6 and daily["mentorships"] >= 2
    assert daily["suggestions"] >= 8
    assert report["service_targets"] == 72 + 2 * 49  # every org, two members of each branch
    assert len(sent.of("survey.service_targets_changed")) == report["service_targets"]
    events = len(sent.of("survey.directory_changed"))
    again = pledge.seed_demo()
    assert again["skipped"] and again["supervision"]["demo_sites"] == 0 and again["service_targets"] == 0
    assert set(again["daily_work"].values()) == {0}
    assert len(sent.of("survey.directory_changed")) == events
    with pledge.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == people


def test_demo_board_and_ledger_render(pledge, pledge_client, auth_headers):
    pledge.seed_demo()
    with pledge.db.session() as s:
        root = s.scalar(select(Org.id).where(Org.code == "HG"))
    body = pledge_client.get(f"/api/v1/orgs/{root}/ledger", headers=auth_headers("member", sub=2)).get_json()
    assert body["total"] > 50
    assert pledge_client.get(f"/board/{root}").status_code == 200
