"""The year's facts of every committee and branch, one grouped SQL aggregation per source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import Select, case, distinct, func, select
from sqlalchemy.orm import Session

from services.pledge.directory.models import Org
from services.pledge.facts.domain.years import last_day, quarters_due
from services.pledge.pledges.models import Pledge
from services.pledge.supervision.models import (
    ContactPoint,
    ContactVisit,
    DemoSite,
    DemoSiteEvaluation,
    Inspection,
    QuarterlyComment,
)
from shared.messages import OrgYearFacts


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def pledges(year: int) -> Select:
    """The org's own and its members' pledges due in ``year`` that reached publication (withdrawn ones too:
    a pledge made public and dropped counts against the org)."""
    return (select(Pledge.org_id, func.count(), func.coalesce(func.sum(Pledge.completion), 0.0),
                   _count_if(Pledge.state == "closed"), _count_if(Pledge.outcome == "fulfilled"),
                   _count_if(Pledge.outcome == "partly"), _count_if(Pledge.outcome == "unfulfilled"))
            .where(Pledge.published_at.is_not(None), Pledge.due_on >= date(year, 1, 1),
                   Pledge.due_on <= date(year, 12, 31))
            .group_by(Pledge.org_id))


def inspections(year: int, until: date) -> Select:
    return (select(Inspection.org_id, func.count(), func.coalesce(func.sum(Inspection.rating), 0))
            .where(Inspection.visited_on >= date(year, 1, 1), Inspection.visited_on <= until)
            .group_by(Inspection.org_id))


def comments(year: int, quarters: int) -> Select:
    return (select(QuarterlyComment.org_id, func.count(distinct(QuarterlyComment.quarter)))
            .where(QuarterlyComment.year == year, QuarterlyComment.quarter <= quarters)
            .group_by(QuarterlyComment.org_id))


def site_evaluations(year: int, until: date) -> Select:
    months = until.month if until.year == year else 12
    return (select(DemoSite.org_id, func.count(), func.coalesce(func.sum(DemoSiteEvaluation.overall), 0.0))
            .join(DemoSite, DemoSite.id == DemoSiteEvaluation.site_id)
            .where(DemoSiteEvaluation.year == year, DemoSiteEvaluation.month <= months)
            .group_by(DemoSite.org_id))


def contacts(year: int, until: date) -> Select:
    in_year = (ContactVisit.visited_on >= date(year, 1, 1)) & (ContactVisit.visited_on <= until)
    visits = (select(ContactVisit.contact_point_id.label("point"), func.count().label("n"))
              .where(in_year).group_by(ContactVisit.contact_point_id).subquery())
    return (select(ContactPoint.org_id, func.count(), _count_if(visits.c.n.is_not(None)),
                   func.coalesce(func.sum(visits.c.n), 0))
            .outerjoin(visits, visits.c.point == ContactPoint.id)
            .where((ContactPoint.since.is_(None)) | (ContactPoint.since <= until))
            .group_by(ContactPoint.org_id))


def _by_org(session: Session, stmt: Select) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def year_facts(session: Session, year: int, as_of: date) -> Iterator[OrgYearFacts]:
    """One ``OrgYearFacts`` per committee and branch, every org present (zeros where nothing happened)."""
    until, quarters = last_day(year, as_of), quarters_due(year, as_of)
    p, i = _by_org(session, pledges(year)), _by_org(session, inspections(year, until))
    q, s = _by_org(session, comments(year, quarters)), _by_org(session, site_evaluations(year, until))
    c = _by_org(session, contacts(year, until))
    for org_id in session.scalars(select(Org.id).order_by(Org.id)):
        n, done, closed, fulfilled, partly, unfulfilled = p.get(org_id, (0, 0.0, 0, 0, 0, 0))
        inspected, ratings = i.get(org_id, (0, 0))
        evaluations, overall = s.get(org_id, (0, 0.0))
        points, visited, visits = c.get(org_id, (0, 0, 0))
        yield OrgYearFacts(
            org_id=org_id, year=year, pledges=int(n), completion_sum=round(float(done) * 100, 6), closed=int(closed),
            fulfilled=int(fulfilled), partly=int(partly), unfulfilled=int(unfulfilled), inspections=int(inspected),
            rating_sum=int(ratings), comment_quarters=int(q.get(org_id, (0,))[0]), quarters_due=quarters,
            site_evaluations=int(evaluations), site_overall_sum=float(overall), contact_points=int(points),
            contact_points_visited=int(visited), contact_visits=int(visits))

