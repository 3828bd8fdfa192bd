"""What a change of a service target tells survey: ``ServiceTargetsChanged`` through the outbox (after commit)."""

from __future__ import annotations

from sqlalchemy import select

from services.pledge.service_targets.models import ServiceTarget
from shared.context import Context
from shared.messages import ServiceTargetRecord, ServiceTargetsChanged


def target_record(target: ServiceTarget) -> ServiceTargetRecord:
    return ServiceTargetRecord(
        id=target.id, provider_type=target.provider_type, provider_id=target.provider_id, org_id=target.org_id,
        period_kind=target.period_kind, period_start=target.period_start.isoformat(),
        period_end=target.period_end.isoformat(), title=target.title, content=target.content,
        beneficiaries=target.beneficiaries, version=target.version, active=target.active)


def changed(ctx: Context, target: ServiceTarget) -> None:
    ctx.publish(ServiceTargetsChanged(targets=[target_record(target)]))


def snapshot(ctx: Context) -> int:
    """Every service target (withdrawn ones as inactive) in one snapshot message (``xianfeng sync-directory``):
    survey's copy becomes exactly this."""
    rows = ctx.session.scalars(select(ServiceTarget).order_by(ServiceTarget.id))
    message = ServiceTargetsChanged(targets=[target_record(t) for t in rows], snapshot=True)
    ctx.publish(message)
    return len(message.targets)
