"""The copy of 三服务 service targets, kept from ``ServiceTargetsChanged``; what a ballot shows per target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from services.survey.directory.models import ServiceTargetCopy
from shared.messages import ServiceTargetsChanged

# a three_way target type → the provider type of the service targets it set
PROVIDER_OF = {"person": "person", "branch": "org", "committee": "org"}


def apply(session: Session, event: ServiceTargetsChanged) -> dict[str, int]:
    """Upsert by id; an older version than the one held is ignored (events may arrive out of order); a
    withdrawn target (``active: false``) stays, inactive; a snapshot deactivates what it does not mention."""
    ids = [t.id for t in event.targets]
    held = ({row.id: row for row in session.scalars(select(ServiceTargetCopy).where(ServiceTargetCopy.id.in_(ids)))}
            if ids else {})
    changed = 0
    for record in event.targets:
        row = held.get(record.id)
        if row is not None and row.version > record.version:
            continue
        if row is None:
            row = held[record.id] = ServiceTargetCopy(id=record.id)
            session.add(row)
        row.provider_type, row.provider_id, row.org_id = record.provider_type, record.provider_id, record.org_id
        row.period_kind, row.beneficiaries = record.period_kind, record.beneficiaries
        row.period_start = date.fromisoformat(record.period_start)
        row.period_end = date.fromisoformat(record.period_end)
        row.title, row.content, row.version, row.active = record.title, record.content, record.version, record.active
        changed += 1
    if event.snapshot:
        stmt = update(ServiceTargetCopy).values(active=False)
        session.execute(stmt.where(ServiceTargetCopy.id.not_in(ids)) if ids else stmt)
    return {"service_targets": changed}


def set_by(session: Session, targets: Iterable[tuple[str, int]], start: date, end: date) -> dict[tuple[str, int], list]:
    """(target type, target id) → the active service targets that target set for a period overlapping
    [start, end], as ``{id, title, content}`` in id order; one query for the whole ballot."""
    wanted = {(PROVIDER_OF[kind], tid): (kind, tid) for kind, tid in targets if kind in PROVIDER_OF}
    if not wanted:
        return {}
    s = ServiceTargetCopy
    rows = session.execute(
        select(s.id, s.provider_type, s.provider_id, s.title, s.content)
        .where(tuple_(s.provider_type, s.provider_id).in_(list(wanted)), s.active.is_(True),
               s.period_start <= end, s.period_end >= start).order_by(s.id)).all()
    found: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        found[wanted[(row.provider_type, row.provider_id)]].append(
            {"id": row.id, "title": row.title, "content": row.content})
    return found
