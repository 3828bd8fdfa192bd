"""The scorecard tests' facts and the hand computation they are checked against."""

from __future__ import annotations

from shared.messages import OrgYearFacts, ScorecardFactsChanged

YEAR = 2026
YEAR_PERIOD = {"period_start": "2026-01-01", "period_end": "2026-12-31"}

FACTS = [
    # branch 3: two pledges (75.25 % done on average), one closed fulfilled; one inspection rated 4;
    # a comment every quarter; its one contact point visited
    OrgYearFacts(org_id=3, year=YEAR, pledges=2, completion_sum=150.5, closed=1, fulfilled=1, inspections=1,
                 rating_sum=4, comment_quarters=4, quarters_due=4, contact_points=1, contact_points_visited=1,
                 contact_visits=3),
    # branch 6: two inspections rated 3 and 3
    OrgYearFacts(org_id=6, year=YEAR, inspections=2, rating_sum=6),
    # committee 2: comments in two of four quarters
    OrgYearFacts(org_id=2, year=YEAR, comment_quarters=2, quarters_due=4),
]


def facts_event(facts=FACTS, as_of: str = "2026-12-01", snapshot: bool = True) -> dict:
    return ScorecardFactsChanged(year=YEAR, as_of=as_of, facts=list(facts), snapshot=snapshot).to_payload()


# by hand, default weights (.2 pledges, .15 评诺, .2 三测评, .15 leadership, .1 inspections, .1 comments,
# .05 demo sites, .05 contacts) over the parts present; leadership from the round in the tests
# (team 3: 3.5 → 70, team 4: 4.5 → 90, team 6: one rater, suppressed)
EXPECTED = {
    3: {"parts": {"pledges": 87.6, "leadership": 70.0, "inspections": 80.0, "quarterly_comments": 100.0,
                  "contacts": 100.0},
        # (.2·87.625 + .15·70 + .1·80 + .1·100 + .05·100) / .6 = 51.025 / .6 = 85.0416…
        "score": 85.0, "grade": "合格", "rank": 2, "rank_in_parent": 2},
    4: {"parts": {"leadership": 90.0}, "score": 90.0, "grade": "优秀", "rank": 1, "rank_in_parent": 1},
    6: {"parts": {"inspections": 60.0}, "score": 60.0, "grade": "基本合格", "rank": 3, "rank_in_parent": 1},
    2: {"parts": {"quarterly_comments": 50.0}, "score": 50.0, "grade": "不合格", "rank": 1, "rank_in_parent": 1},
    5: {"parts": {}, "score": None, "grade": None, "rank": None, "rank_in_parent": None},
}
