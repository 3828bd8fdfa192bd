"""A pledge's history: a line for every move (who, when, why), read back with every version in full, what
changed between versions, and every progress report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.pledges.domain.versions import changes
from services.pledge.pledges.models import Pledge, PledgeTransition, PledgeVersion, ProgressReport
from services.pledge.pledges.views import progress_view
from services.pledge.pledges.visibility import load
from shared.principal import Principal


def record(session: Session, pledge: Pledge, action: str, from_state: str | None, to_state: str, actor: str,
           comment: str | None) -> PledgeTransition:
    """One line of the pledge's history."""
    row = PledgeTransition(pledge_id=pledge.id, version=pledge.version, action=action, from_state=from_state,
                           to_state=to_state, actor=actor, comment=comment)
    session.add(row)
    session.flush()
    return row


def history(session: Session, principal: Principal, pledge_id: int) -> dict[str, Any]:
    pledge = load(session, principal, pledge_id)
    versions = list(session.scalars(select(PledgeVersion).where(PledgeVersion.pledge_id == pledge.id)
                                    .order_by(PledgeVersion.version)))
    out, previous = [], None
    for v in versions:
        out.append({"version": v.version, "data": v.data, "reason": v.reason, "created_by": v.created_by,
                    "created_at": v.created_at, "changes": changes(previous, v.data)})
        previous = v.data
    by_version = {v.version: v.data.get("targets", []) for v in versions}
    transitions = session.scalars(select(PledgeTransition).where(PledgeTransition.pledge_id == pledge.id)
                                  .order_by(PledgeTransition.id))
    reports = session.scalars(select(ProgressReport).where(ProgressReport.pledge_id == pledge.id)
                              .order_by(ProgressReport.id))
    return {"pledge_id": pledge.id, "versions": out, "transitions": list(transitions),
            "progress": [progress_view(r, by_version.get(r.version, pledge.targets)) for r in reports]}
