"""Pledge's facts per org and year (``ScorecardFactsChanged``), kept for the scorecards."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.survey.scorecards.domain.composition import Facts
from services.survey.scorecards.models import OrgYearFact
from shared.messages import OrgYearFacts, ScorecardFactsChanged

FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Facts))


def apply(session: Session, event: ScorecardFactsChanged) -> dict[str, int]:
    """Upsert per (org, year); facts older (``as_of``) than those held are ignored (late delivery); a
    snapshot drops the year's facts of every org it does not mention (as of a date not before theirs)."""
    as_of = date.fromisoformat(event.as_of)
    held = {row.org_id: row for row in session.scalars(select(OrgYearFact).where(OrgYearFact.year == event.year))}
    changed = 0
    for record in event.facts:
        if record.year != event.year:
            continue
        row = held.get(record.org_id)
        if row is not None and row.as_of > as_of:
            continue
        if row is None:
            row = held[record.org_id] = OrgYearFact(org_id=record.org_id, year=event.year)
            session.add(row)
        _copy(record, row, as_of)
        changed += 1
    dropped = 0
    if event.snapshot:
        named = {f.org_id for f in event.facts}
        gone = [oid for oid, row in held.items() if oid not in named and row.as_of <= as_of]
        if gone:
            dropped = session.execute(delete(OrgYearFact).where(OrgYearFact.year == event.year,
                                                                OrgYearFact.org_id.in_(gone))).rowcount
    return {"facts": changed, "dropped": dropped}


def _copy(record: OrgYearFacts, row: OrgYearFact, as_of: date) -> None:
    row.as_of = as_of
    for name in FACT_FIELDS:
        setattr(row, name, getattr(record, name))


def of_orgs(session: Session, year: int, org_ids: list[int]) -> dict[int, Facts]:
    f = OrgYearFact.__table__.c
    rows = session.execute(select(f.org_id, *(f[name] for name in FACT_FIELDS))
                           .where(f.year == year, f.org_id.in_(org_ids))).all()
    return {r[0]: Facts(*r[1:]) for r in rows}
