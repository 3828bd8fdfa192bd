"""The copy of published pledges that 评诺 rounds evaluate, kept from ``PledgesChanged`` events."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.survey.directory.models import PledgeCopy
from shared.messages import PledgesChanged


def apply(session: Session, event: PledgesChanged) -> dict[str, int]:
    """Upsert by id; an older version than the one held is ignored (events may arrive out of order);
    a snapshot deactivates the pledges it does not mention."""
    ids = [p.id for p in event.pledges]
    held = {row.id: row for row in session.scalars(select(PledgeCopy).where(PledgeCopy.id.in_(ids)))} if ids else {}
    changed = 0
    for record in event.pledges:
        row = held.get(record.id)
        if row is not None and row.version > record.version:
            continue
        if row is None:
            row = PledgeCopy(id=record.id)
            session.add(row)
            held[record.id] = row
        row.title, row.pledger_type, row.pledger_id = record.title, record.pledger_type, record.pledger_id
        row.org_id, row.state, row.version, row.active = record.org_id, record.state, record.version, True
        changed += 1
    if event.snapshot:
        stmt = update(PledgeCopy).values(active=False)
        session.execute(stmt.where(PledgeCopy.id.not_in(ids)) if ids else stmt)
    return {"pledges": changed}
