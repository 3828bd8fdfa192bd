"""践诺: a progress report on a published pledge, values per target and an evidence link; completion recomputed."""

from __future__ import annotations

from services.pledge.pledges.domain import completion
from services.pledge.pledges.domain.access import actor_of, may
from services.pledge.pledges.domain.lifecycle import transition
from services.pledge.pledges.history import record
from services.pledge.pledges.models import ProgressReport
from services.pledge.pledges.views import progress_view
from services.pledge.pledges.visibility import load, parties
from shared.context import Context
from shared.errors import Forbidden, ValidationFailed
from shared.i18n import bilingual
from shared.principal import Principal


def report_progress(ctx: Context, principal: Principal, pledge_id: int, data: dict) -> dict:
    """Values per target (by target name) and an evidence link; 422 for a target the pledge does not have."""
    session = ctx.session
    pledge = load(session, principal, pledge_id, for_update=True)
    if not may(principal, "progress", parties(session, pledge, principal)):
        raise Forbidden()
    transition(pledge.state, "progress")
    names = {t["name"] for t in pledge.targets}
    unknown = sorted(set(data["values"]) - names)
    if unknown:
        raise ValidationFailed(errors={f"values.{n}": [bilingual("没有该指标", "no such target")] for n in unknown})
    values = {**(pledge.latest_values or {}), **data["values"]}
    actor = actor_of(principal)
    report = ProgressReport(pledge_id=pledge.id, version=pledge.version, note=data.get("note") or "",
                            values=data["values"], evidence_url=data.get("evidence_url"),
                            completion=completion.overall(pledge.targets, values), reported_by=actor)
    session.add(report)
    pledge.latest_values, pledge.latest_note, pledge.completion = values, report.note, report.completion
    pledge.latest_progress_at = ctx.now()
    record(session, pledge, "progress", pledge.state, pledge.state, actor, report.note or None)
    session.flush()
    return progress_view(report, pledge.targets)
