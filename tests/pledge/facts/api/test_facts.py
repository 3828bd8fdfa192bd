"""``xianfeng daily`` sends survey the year's facts of every committee and branch, checked against sums
computed here by hand from the rows written."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from pledge.factories import PledgeFactory, factories_on
from services.pledge.models import (
    ContactPoint,
    ContactVisit,
    DemoSite,
    DemoSiteEvaluation,
    Inspection,
    Org,
    QuarterlyComment,
)
from shared.messages import ScorecardFactsChanged

DAY = date(2026, 6, 15)
PUBLISHED = datetime(2026, 2, 1, tzinfo=UTC)


def _facts(sent) -> list[ScorecardFactsChanged]:
    return [ScorecardFactsChanged.from_payload(p) for p in sent.of("survey.scorecard_facts")]


def test_daily_sends_the_facts_of_the_year(pledge, tree, sent):
    with pledge.db.session() as s, factories_on(s):
        org = {o.id: o for o in s.scalars(select(Org))}
        b1 = org[tree.b1]
        for completion, state, outcome in ((1.0, "closed", "fulfilled"), (0.5, "closed", "partly"),
                                           (0.25, "published", None)):
            PledgeFactory(org=b1, completion=completion, state=state, outcome=outcome, published_at=PUBLISHED,
                          due_on=date(2026, 9, 30))
        PledgeFactory(org=b1, pledger_type="person", pledger_id=tree.m1, completion=0.75, published_at=PUBLISHED,
                      due_on=date(2026, 12, 31))
        PledgeFactory(org=b1, completion=1.0, published_at=None, state="approved", on_ledger=False,
                      due_on=date(2026, 9, 30))                                      # never published
        PledgeFactory(org=b1, completion=1.0, published_at=PUBLISHED, due_on=date(2025, 12, 31))  # last year's
        for rating, day in ((4, date(2026, 3, 1)), (5, date(2026, 6, 1)), (1, date(2026, 7, 1)), (2, date(2025, 5, 1))):
            s.add(Inspection(org_id=tree.b1, kind="routine", visited_on=day, inspector_id=tree.sc1, findings="f",
                             rating=rating))
        for year, quarter in ((2026, 1), (2026, 2), (2025, 4)):
            s.add(QuarterlyComment(org_id=tree.b1, year=year, quarter=quarter, author_id=tree.sc1, text="t"))
        site = DemoSite(org_id=tree.b1, kind="branch", name="示范点", level="key", year=2026, goals={})
        s.add(site)
        s.flush()
        for month, overall in ((1, 80.0), (5, 90.5), (7, 70.0)):
            s.add(DemoSiteEvaluation(site_id=site.id, year=2026, month=month, party_building=overall,
                                     management=overall, economic=overall, overall=overall))
        visited = ContactPoint(leader_id=tree.sc1, org_id=tree.b1)
        idle = ContactPoint(leader_id=tree.s1, org_id=tree.b1)
        s.add_all([visited, idle])
        s.flush()
        for day in (date(2026, 2, 1), date(2026, 5, 1), date(2026, 8, 1), date(2025, 5, 1)):
            s.add(ContactVisit(contact_point_id=visited.id, visited_on=day, notes="n"))
    sent.clear()

    assert pledge.daily(DAY)["scorecard_facts"] == 6
    (message,) = _facts(sent)
    assert (message.year, message.as_of, message.snapshot) == (2026, "2026-06-15", True)
    by_org = {f.org_id: f for f in message.facts}
    assert set(by_org) == {tree.g, tree.c1, tree.c2, tree.b1, tree.b2, tree.b3}
    b1 = by_org[tree.b1]
    assert (b1.pledges, b1.completion_sum, b1.closed, b1.fulfilled, b1.partly, b1.unfulfilled) == (4, 250.0, 2, 1, 1, 0)
    assert (b1.inspections, b1.rating_sum) == (2, 9)                      # this year, up to 06-15
    assert (b1.comment_quarters, b1.quarters_due) == (2, 2)
    assert (b1.site_evaluations, b1.site_overall_sum) == (2, 170.5)       # January and May
    assert (b1.contact_points, b1.contact_points_visited, b1.contact_visits) == (2, 1, 2)
    b2 = by_org[tree.b2]
    assert (b2.pledges, b2.inspections, b2.contact_points, b2.quarters_due) == (0, 0, 0, 2)

    sent.clear()
    pledge.daily(date(2027, 1, 1))  # the closing facts of 2026, then 2027's
    closing, new = _facts(sent)
    assert (closing.year, closing.as_of, new.year) == (2026, "2026-12-31", 2027)
    final = {f.org_id: f for f in closing.facts}[tree.b1]
    assert (final.inspections, final.rating_sum, final.site_evaluations, final.contact_visits) == (3, 10, 3, 3)
    assert final.quarters_due == 4
