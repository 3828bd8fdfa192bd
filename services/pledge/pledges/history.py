"""A pledge's history: every version in full, what changed between versions, every transition, progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.pledges.actions import progress_view
from services.pledge.pledges.drafts import load
from services.pledge.pledges.models import PledgeTransition, PledgeVersion, ProgressReport
from shared.auth import Principal


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field → ``{from, to}`` for every field that differs (the first version: nothing changed)."""
    if before is None:
        return {}
    return {k: {"from": before.get(k), "to": after.get(k)} for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}


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
