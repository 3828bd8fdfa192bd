"""The gaps of an org's subtree as SQL, one statement per kind, each answering ``(org_id, person_id, pledge_id,
since)`` rows in a stable order: counted for the totals, read a slice at a time for a page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, Select, case, exists, func, literal, null, or_, select
from sqlalchemy.orm import Session

from services.pledge.coverage.domain.gaps import KINDS, Window
from services.pledge.directory.lookups import in_subtree
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.models import Pledge, PledgeTransition
from services.pledge.supervision.models import ContactPoint, ContactVisit, Inspection, QuarterlyComment

NO_ID = null().cast(Integer)


def _day(value: date):
    return literal(value, Date)


class Finder:
    """The statements of each gap kind below ``root_path`` as of a date (``zone``: the campaign's time zone)."""

    def __init__(self, root_path: str, window: Window, zone) -> None:
        self.path, self.w, self.zone = root_path, window, zone

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def _published_this_year(self, pledger_type: str, pledger_id) -> exists:
        return exists().where(
            Pledge.pledger_type == pledger_type, Pledge.pledger_id == pledger_id, Pledge.state != "withdrawn",
            Pledge.published_at.is_not(None), Pledge.published_at < self.start_of(self.w.as_of + timedelta(days=1)),
            Pledge.due_on >= self.w.year_start)

    def no_pledge(self) -> Select:
        branches = select(Org.id.label("org_id"), NO_ID.label("person_id"), NO_ID.label("pledge_id"),
                          _day(self.w.year_start).label("since"), Org.path.label("o1"), literal(0).label("o2")
                          ).where(Org.kind == "branch", in_subtree(Org.path, self.path),
                                  ~self._published_this_year("org", Org.id))
        members = select(Person.org_id, Person.id, NO_ID, _day(self.w.year_start), Person.org_path, Person.id).where(
            Person.active.is_(True), Person.party_member.is_(True), in_subtree(Person.org_path, self.path),
            ~self._published_this_year("person", Person.id))
        return branches.union_all(members)

    def _pledge_gap(self, since, *where) -> Select:
        person = case((Pledge.pledger_type == "person", Pledge.pledger_id), else_=NO_ID)
        return select(Pledge.org_id.label("org_id"), person.label("person_id"), Pledge.id.label("pledge_id"),
                      since.label("since"), Pledge.org_path.label("o1"), Pledge.id.label("o2")).where(
            in_subtree(Pledge.org_path, self.path), *where)

    def unpublished(self) -> Select:
        approved = (select(func.max(PledgeTransition.at)).where(PledgeTransition.pledge_id == Pledge.id,
                                                                PledgeTransition.action == "approve")
                    .scalar_subquery())
        return self._pledge_gap(approved, Pledge.state == "approved", approved < self.start_of(self.w.approved_before))

    def no_progress(self) -> Select:
        last = func.coalesce(Pledge.latest_progress_at, Pledge.published_at)
        return self._pledge_gap(last, Pledge.state == "published", last < self.start_of(self.w.quiet_before))

    def _orgs(self, *where) -> Select:
        return select(Org.id.label("org_id"), NO_ID.label("person_id"), NO_ID.label("pledge_id"),
                      Org.path.label("o1"), literal(0).label("o2")).where(in_subtree(Org.path, self.path), *where)

    def not_inspected(self) -> Select:
        seen = exists().where(Inspection.org_id == Org.id, Inspection.visited_on >= self.w.year_start,
                              Inspection.visited_on <= self.w.as_of)
        return self._orgs(Org.kind == "branch", ~seen).add_columns(_day(self.w.year_start).label("since"))

    def no_quarterly_comment(self) -> Select:
        commented = exists().where(QuarterlyComment.org_id == Org.id, QuarterlyComment.year == self.w.as_of.year,
                                   QuarterlyComment.quarter == self.w.quarter)
        return self._orgs(Org.parent_id.is_not(None), ~commented).add_columns(
            _day(self.w.quarter_start).label("since"))

    def contact_unvisited(self) -> Select:
        visited = exists().where(ContactVisit.contact_point_id == ContactPoint.id,
                                 ContactVisit.visited_on >= self.w.quarter_start,
                                 ContactVisit.visited_on <= self.w.as_of)
        return (select(ContactPoint.org_id.label("org_id"), ContactPoint.leader_id.label("person_id"),
                       NO_ID.label("pledge_id"), _day(self.w.quarter_start).label("since"), Org.path.label("o1"),
                       ContactPoint.id.label("o2"))
                .join(Org, Org.id == ContactPoint.org_id)
                .where(in_subtree(Org.path, self.path), ~visited,
                       or_(ContactPoint.since.is_(None), ContactPoint.since <= self.w.as_of)))

    def statement(self, kind: str) -> Select:
        return STATEMENTS[kind](self)


STATEMENTS: dict[str, Callable[[Finder], Select]] = {k: getattr(Finder, k) for k in KINDS}


def count(session: Session, finder: Finder, kind: str) -> int:
    return session.execute(select(func.count()).select_from(finder.statement(kind).subquery())).scalar_one()


def rows(session: Session, finder: Finder, kind: str, offset: int, limit: int) -> list[dict]:
    sub = finder.statement(kind).subquery()
    stmt = select(sub.c.org_id, sub.c.person_id, sub.c.pledge_id, sub.c.since).order_by(
        sub.c.o1, sub.c.o2, sub.c.org_id).offset(offset).limit(limit)
    return [{"kind": kind, "org_id": r.org_id, "person_id": r.person_id, "pledge_id": r.pledge_id,
             "since": _as_date(r.since, finder.zone)} for r in session.execute(stmt)]


def _as_date(value, zone) -> date | None:
    """A ``since`` as a date: a day as it is, an instant (approval, progress) as its day in the campaign's zone."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        if not isinstance(value, datetime):
            return value
    return value.astimezone(zone).date() if value.tzinfo else value.date()
