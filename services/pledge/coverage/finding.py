"""The gaps of an org's subtree as SQL: each kind one or two parts, each part a statement answering
``(org_id, person_id, pledge_id, since)`` and the order of an index it can walk, so that a page reads only
its rows (``LIMIT`` on an index scan) and a total is one ``COUNT``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, Select, case, exists, func, literal, null, or_, select
from sqlalchemy.orm import Session

from services.pledge.coverage.domain.gaps import KINDS, Window, slices
from services.pledge.directory.lookups import in_subtree
from services.pledge.directory.models import Org, Person
from services.pledge.pledges.models import Pledge, PledgeTransition
from services.pledge.supervision.models import ContactPoint, ContactVisit, Inspection, QuarterlyComment

NO_ID = null().cast(Integer)


@dataclass(frozen=True)
class Part:
    stmt: Select  # columns org_id, person_id, pledge_id, since
    order: tuple  # an index's order


def _day(value: date):
    return literal(value, Date)


def _gap(org_id, person_id, pledge_id, since) -> Select:
    return select(org_id.label("org_id"), person_id.label("person_id"), pledge_id.label("pledge_id"),
                  since.label("since"))


class Finder:
    """The parts of each gap kind below ``root_path`` as of a date (``zone``: the campaign's time zone)."""

    def __init__(self, root_path: str, window: Window, zone) -> None:
        self.path, self.w, self.zone = root_path, window, zone

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def _published_this_year(self, pledger_type: str, pledger_id) -> exists:
        return exists().where(
            Pledge.pledger_type == pledger_type, Pledge.pledger_id == pledger_id, Pledge.state != "withdrawn",
            Pledge.published_at.is_not(None), Pledge.published_at < self.start_of(self.w.as_of + timedelta(days=1)),
            Pledge.due_on >= self.w.year_start)

    def _orgs(self, since: date, *where) -> Part:
        stmt = _gap(Org.id, NO_ID, NO_ID, _day(since)).where(in_subtree(Org.path, self.path), *where)
        return Part(stmt, (Org.path,))

    def no_pledge(self) -> list[Part]:
        members = _gap(Person.org_id, Person.id, NO_ID, _day(self.w.year_start)).where(
            in_subtree(Person.org_path, self.path), Person.active.is_(True), Person.party_member.is_(True),
            ~self._published_this_year("person", Person.id))
        return [self._orgs(self.w.year_start, Org.kind == "branch", ~self._published_this_year("org", Org.id)),
                Part(members, (Person.org_path, Person.id))]

    def _pledges(self, since, *where) -> list[Part]:
        person = case((Pledge.pledger_type == "person", Pledge.pledger_id), else_=NO_ID)
        stmt = _gap(Pledge.org_id, person, Pledge.id, since).where(in_subtree(Pledge.org_path, self.path), *where)
        return [Part(stmt, (Pledge.org_path, Pledge.id))]

    def unpublished(self) -> list[Part]:
        approved = (select(func.max(PledgeTransition.at)).where(PledgeTransition.pledge_id == Pledge.id,
                                                                PledgeTransition.action == "approve")
                    .scalar_subquery())
        return self._pledges(approved, Pledge.state == "approved", approved < self.start_of(self.w.approved_before))

    def no_progress(self) -> list[Part]:
        """Quiet since the last report, or since publication when none came: two ranges of ix_pledges_quiet."""
        cutoff = self.start_of(self.w.quiet_before)
        published = Pledge.state == "published"
        return [*self._pledges(Pledge.latest_progress_at, published, Pledge.latest_progress_at.is_not(None),
                               Pledge.latest_progress_at < cutoff),
                *self._pledges(Pledge.published_at, published, Pledge.latest_progress_at.is_(None),
                               Pledge.published_at < cutoff)]

    def not_inspected(self) -> list[Part]:
        seen = exists().where(Inspection.org_id == Org.id, Inspection.visited_on >= self.w.year_start,
                              Inspection.visited_on <= self.w.as_of)
        return [self._orgs(self.w.year_start, Org.kind == "branch", ~seen)]

    def no_quarterly_comment(self) -> list[Part]:
        commented = exists().where(QuarterlyComment.org_id == Org.id, QuarterlyComment.year == self.w.as_of.year,
                                   QuarterlyComment.quarter == self.w.quarter)
        return [self._orgs(self.w.quarter_start, Org.parent_id.is_not(None), ~commented)]

    def contact_unvisited(self) -> list[Part]:
        visited = exists().where(ContactVisit.contact_point_id == ContactPoint.id,
                                 ContactVisit.visited_on >= self.w.quarter_start,
                                 ContactVisit.visited_on <= self.w.as_of)
        stmt = (_gap(ContactPoint.org_id, ContactPoint.leader_id, NO_ID, _day(self.w.quarter_start))
                .join(Org, Org.id == ContactPoint.org_id)
                .where(in_subtree(Org.path, self.path), ~visited,
                       or_(ContactPoint.since.is_(None), ContactPoint.since <= self.w.as_of)))
        return [Part(stmt, (Org.path, ContactPoint.id))]

    def parts(self, kind: str) -> list[Part]:
        return PARTS[kind](self)


PARTS: dict[str, Callable[[Finder], list[Part]]] = {k: getattr(Finder, k) for k in KINDS}


def _count(session: Session, part: Part) -> int:
    return session.execute(select(func.count()).select_from(part.stmt.subquery())).scalar_one()


class Kind:
    """One kind's parts and their counts (counted once, read a slice at a time)."""

    def __init__(self, session: Session, finder: Finder, kind: str) -> None:
        self.session, self.finder, self.kind = session, finder, kind
        self.parts = finder.parts(kind)
        self.counts = [_count(session, p) for p in self.parts]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def rows(self, offset: int, limit: int) -> list[dict]:
        out = []
        for i, start, n in slices(list(enumerate(self.counts)), offset, limit):
            part = self.parts[i]
            stmt = part.stmt.order_by(*part.order).offset(start).limit(n)
            out += [{"kind": self.kind, "org_id": r.org_id, "person_id": r.person_id, "pledge_id": r.pledge_id,
                     "since": _as_date(r.since, self.finder.zone)} for r in self.session.execute(stmt)]
        return out


def count(session: Session, finder: Finder, kind: str) -> int:
    return Kind(session, finder, kind).total


def rows(session: Session, finder: Finder, kind: str, offset: int, limit: int) -> list[dict]:
    return Kind(session, finder, kind).rows(offset, limit)


def every(session: Session, finder: Finder, kind: str) -> list[dict]:
    """Every gap of a kind, unpaged (the weekly nudge reads them all once)."""
    out = []
    for part in finder.parts(kind):
        out += [{"kind": kind, "org_id": r.org_id, "person_id": r.person_id, "pledge_id": r.pledge_id}
                for r in session.execute(part.stmt)]
    return out


def _as_date(value, zone) -> date | None:
    """A ``since`` as a date: a day as it is, an instant (approval, progress) as its day in the campaign's zone."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        if not isinstance(value, datetime):
            return value
    return value.astimezone(zone).date() if value.tzinfo else value.date()
