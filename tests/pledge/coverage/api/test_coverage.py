"""``GET /api/v1/orgs/{id}/coverage`` on a world written with dates, and the weekly nudge to secretaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pledge.factories import PledgeFactory, factories_on
from services.pledge.models import ContactPoint, ContactVisit, Inspection, Org, PledgeTransition, QuarterlyComment
from shared.messages import SendNotification

AS_OF = date(2026, 6, 15)  # Q2


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)  # noon in Shanghai


@pytest.fixture
def world(pledge, tree):
    """B1 pledged (org and m1), inspected, commented, its contact point visited; B2 has a pledge approved on
    06-08 and m2's pledge is quiet since 05-16; B3 and m3, s1, sc1 have nothing."""
    with pledge.db.session() as s, factories_on(s):
        org = {o.id: o for o in s.scalars(select(Org))}

        def made(org_id, state, pledger=None, published=None, progress=None, due=date(2026, 12, 31)):
            kind, ident = pledger or ("org", org_id)
            return PledgeFactory(org=org[org_id], pledger_type=kind, pledger_id=ident, state=state,
                                 on_ledger=state == "published", due_on=due,
                                 published_at=_at(published) if published else None,
                                 latest_progress_at=_at(progress) if progress else None).id

        ids = {"b1": made(tree.b1, "published", published=date(2026, 3, 1), progress=date(2026, 6, 1)),
               "m1": made(tree.b1, "published", ("person", tree.m1), date(2026, 3, 1), date(2026, 6, 10)),
               "b2": made(tree.b2, "approved"),
               "m2": made(tree.b2, "published", ("person", tree.m2), date(2026, 4, 1), date(2026, 5, 16)),
               # last year's: B3 has none this year
               "old": made(tree.b3, "published", ("org", tree.b3), date(2025, 3, 1), due=date(2025, 12, 31))}
        s.add(PledgeTransition(pledge_id=ids["b2"], version=1, action="approve", from_state="submitted",
                               to_state="approved", actor="admin", at=_at(date(2026, 6, 8))))
        s.add(Inspection(org_id=tree.b1, kind="routine", visited_on=date(2026, 5, 1), inspector_id=tree.sc1,
                         findings="好", rating=5))
        s.add(Inspection(org_id=tree.b2, kind="routine", visited_on=date(2025, 5, 1), inspector_id=tree.sc1,
                         findings="去年", rating=4))
        for org_id in (tree.b1, tree.c1):
            s.add(QuarterlyComment(org_id=org_id, year=2026, quarter=2, author_id=tree.sc1, text="点评"))
        s.add(QuarterlyComment(org_id=tree.b2, year=2026, quarter=1, author_id=tree.sc1, text="上季度"))
        visited = ContactPoint(leader_id=tree.sc1, org_id=tree.b1)
        idle = ContactPoint(leader_id=tree.sc1, org_id=tree.b3)
        s.add_all([visited, idle])
        s.flush()
        s.add(ContactVisit(contact_point_id=visited.id, visited_on=date(2026, 4, 20), notes="走访"))
        ids["idle_point"] = idle.id
    return ids


def _coverage(api, org_id, query="", **kw):
    return api.get(f"/api/v1/orgs/{org_id}/coverage?as_of={AS_OF.isoformat()}{query}", **kw).get_json()


def test_every_gap_kind_of_the_group(api, tree, world):
    body = _coverage(api, tree.g, "&page_size=500", status=200)
    assert body["org_id"] == tree.g and body["as_of"] == "2026-06-15"
    gaps = {(g["kind"], g["org_id"], g["person_id"], g["pledge_id"]) for g in body["gaps"]}
    expected = {
        ("no_pledge", tree.b2, None, None), ("no_pledge", tree.b3, None, None),          # approved ≠ published
        ("no_pledge", tree.b1, tree.s1, None), ("no_pledge", tree.b3, tree.m3, None),
        ("no_pledge", tree.c1, tree.sc1, None),
        ("unpublished", tree.b2, None, world["b2"]),                                      # approved 06-08
        ("no_progress", tree.b2, tree.m2, world["m2"]),                                   # quiet since 05-16
        ("no_progress", tree.b3, None, world["old"]),
        ("not_inspected", tree.b2, None, None), ("not_inspected", tree.b3, None, None),  # B2's was last year
        ("no_quarterly_comment", tree.c2, None, None), ("no_quarterly_comment", tree.b2, None, None),
        ("no_quarterly_comment", tree.b3, None, None),
        ("contact_unvisited", tree.b3, tree.sc1, None),
    }
    assert gaps == expected
    assert body["totals"] == {"no_pledge": 5, "unpublished": 1, "no_progress": 2, "not_inspected": 2,
                              "no_quarterly_comment": 3, "contact_unvisited": 1}
    assert body["total"] == 14 and [g["kind"] for g in body["gaps"]][:5] == ["no_pledge"] * 5
    since = {(g["kind"], g["pledge_id"]): g["since"] for g in body["gaps"]}
    assert since[("unpublished", world["b2"])] == "2026-06-08" and since[("no_progress", world["m2"])] == "2026-05-16"
    assert since[("no_pledge", None)] == "2026-01-01" and since[("contact_unvisited", None)] == "2026-04-01"


def test_boundaries_subtrees_pages_and_kinds(api, tree, world):
    # approved 06-08: not yet 7 days on 06-14; quiet since 05-16: not yet 30 days on 06-14
    early = api.get(f"/api/v1/orgs/{tree.g}/coverage?as_of=2026-06-14", status=200).get_json()["totals"]
    assert early["unpublished"] == 0 and early["no_progress"] == 1
    c1 = _coverage(api, tree.c1, status=200)
    assert c1["totals"] == {"no_pledge": 3, "unpublished": 1, "no_progress": 1, "not_inspected": 1,
                            "no_quarterly_comment": 1, "contact_unvisited": 0}
    first = _coverage(api, tree.g, "&page_size=4", status=200)
    second = _coverage(api, tree.g, "&page_size=4&page=2", status=200)
    assert [g["kind"] for g in first["gaps"]] == ["no_pledge"] * 4
    assert [g["kind"] for g in second["gaps"]] == ["no_pledge", "unpublished", "no_progress", "no_progress"]
    only = _coverage(api, tree.g, "&kind=not_inspected", status=200)
    assert only["total"] == 2 and {g["kind"] for g in only["gaps"]} == {"not_inspected"}


def test_refusals(api, tree, world, pledge_client):
    assert pledge_client.get(f"/api/v1/orgs/{tree.g}/coverage").status_code == 401
    assert _coverage(api, tree.c1, as_=("org_admin", tree.c2), status=403)["code"] == 403
    _coverage(api, tree.b1, as_=("member", tree.m3), status=403)
    _coverage(api, tree.b1, as_=("member", tree.s1), status=200)  # one's own branch
    _coverage(api, tree.b1, as_=("org_admin", tree.c1), status=200)
    _coverage(api, 99999, status=404)
    bad = api.get(f"/api/v1/orgs/{tree.g}/coverage?as_of=someday&kind=x", lang="en", status=422).get_json()
    assert set(bad["errors"]) == {"as_of", "kind"}


def test_the_weekly_nudge_reaches_each_branch_secretary_once_a_week(pledge, tree, world, sent):
    sent.clear()
    monday = date(2026, 6, 15)
    assert pledge.daily(monday)["coverage"] == 1  # s1, secretary of B1 (B2 and B3 have no secretary)
    notes = [SendNotification.from_payload(p) for p in sent.of("notify.send") if p["category"] == "coverage"]
    assert len(notes) == 1 and notes[0].recipients.person_ids == [tree.s1]
    assert notes[0].key == f"coverage:{tree.s1}:2026-W25"
    assert "炼钢一支部：尚无公开承诺 1 项" in notes[0].body and notes[0].link.endswith(f"/board/{tree.b1}")
    sent.clear()
    for replay in (monday, date(2026, 6, 17), date(2026, 6, 21)):
        assert pledge.daily(replay)["coverage"] == 0
    assert [p for p in sent.of("notify.send") if p["category"] == "coverage"] == []
    assert pledge.daily(date(2026, 6, 22))["coverage"] == 1  # next week
