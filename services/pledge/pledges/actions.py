"""Lifecycle use cases: every move goes through ``lifecycle.transition`` and leaves a line of history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.pledges import events as pledge_events
from services.pledge.pledges.domain import completion
from services.pledge.pledges.domain.access import may
from services.pledge.pledges.domain.lifecycle import transition
from services.pledge.pledges.drafts import (
    CONTENT_FIELDS,
    actor_of,
    check_fields,
    load,
    parties,
    record,
    snapshot,
    target_dates,
)
from services.pledge.pledges.models import Pledge, PledgeVersion, ProgressReport
from shared.auth import Principal
from shared.db import utcnow
from shared.errors import Forbidden, ValidationFailed
from shared.i18n import bilingual

Handler = Callable[[Session, Pledge, dict, str], str | None]  # returns the transition's comment


def _apply_fields(pledge: Pledge, fields: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(pledge, name, fields[name])


def _edit(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    _apply_fields(pledge, check_fields(session, pledge.pledger_type, data))
    row = session.scalar(select(PledgeVersion).where(PledgeVersion.pledge_id == pledge.id,
                                                     PledgeVersion.version == pledge.version))
    row.data = snapshot(pledge)
    return ", ".join(sorted(k for k in data if k in CONTENT_FIELDS)) or None


def _submit(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    return data.get("comment")


def _approve(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    if pledge.published_version is not None:  # a look-back revision: the new version becomes the visible one
        pledge.published_version = pledge.version
    return data.get("comment")


def _publish(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.published_version, pledge.on_ledger = pledge.version, True
    pledge.channels = list(dict.fromkeys(data.get("channels") or ["board"]))
    pledge.published_at = pledge.published_at or utcnow()
    return data.get("comment")


def _revise(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    fields = check_fields(session, pledge.pledger_type, data)
    pledge.version += 1
    _apply_fields(pledge, fields)
    session.add(PledgeVersion(pledge_id=pledge.id, version=pledge.version, data=snapshot(pledge),
                              reason=data["reason"], created_by=actor))
    pledge.completion = completion.overall(pledge.targets, pledge.latest_values or {})
    return data["reason"]


def _close(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.outcome = data["outcome"]
    return data.get("comment")


def _withdraw(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.on_ledger = False
    return data["reason"]


def _exemplar(session: Session, pledge: Pledge, data: dict, actor: str) -> str | None:
    pledge.exemplar, pledge.exemplar_note = True, data.get("note")
    return data.get("note")


HANDLERS: dict[str, Handler] = {
    "edit": _edit, "submit": _submit, "approve": _approve, "return": _submit, "publish": _publish,
    "revise": _revise, "close": _close, "withdraw": _withdraw, "exemplar": _exemplar,
}


def act(session: Session, principal: Principal, pledge_id: int, action: str, data: dict) -> Pledge:
    """Take ``action`` on a pledge: 403 when the caller may not, 409 when the state does not allow it."""
    pledge = load(session, principal, pledge_id, for_update=True)
    if not may(principal, action, parties(session, pledge, principal)):
        raise Forbidden()
    before = pledge.state
    after = transition(before, action)
    actor = actor_of(principal)
    comment = HANDLERS[action](session, pledge, data, actor)
    pledge.state = after
    row = record(session, pledge, action, before, after, actor, comment)
    pledge_events.after_transition(session, pledge, action, row)
    return pledge


def review(session: Session, principal: Principal, pledge_id: int, data: dict) -> Pledge:
    return act(session, principal, pledge_id, data["decision"], data)


def report_progress(session: Session, principal: Principal, pledge_id: int, data: dict,
                    today: date | None = None) -> dict:
    """践诺: values per target (by target name) and an evidence link; completion recomputed."""
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
    pledge.latest_progress_at = utcnow()
    record(session, pledge, "progress", pledge.state, pledge.state, actor, report.note or None)
    session.flush()
    return progress_view(report, pledge.targets)


def progress_view(report: ProgressReport, targets: list[dict]) -> dict:
    return {**{c.key: getattr(report, c.key) for c in ProgressReport.__table__.columns},
            "targets": completion.per_target(target_dates(targets), report.values)}
