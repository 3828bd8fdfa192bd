"""The copy of 三服务 service targets, kept from pledge's ``ServiceTargetsChanged`` by the consumer task."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.survey.directory import service_targets
from services.survey.models import ServiceTargetCopy
from shared.messages import ServiceTargetRecord, ServiceTargetsChanged


def target(id: int, provider: tuple[str, int] = ("person", 101), start: str = "2026-01-01", end: str = "2026-12-31",
           **fields) -> ServiceTargetRecord:
    base = {"org_id": 3, "period_kind": "year", "title": f"目标{id}", "content": "内容",
            "beneficiaries": "employees"}
    return ServiceTargetRecord(id=id, provider_type=provider[0], provider_id=provider[1], period_start=start,
                               period_end=end, **{**base, **fields})


def _event(*targets, snapshot: bool = False) -> dict:
    return ServiceTargetsChanged(targets=list(targets), snapshot=snapshot).to_payload()


def test_newest_version_kept_withdrawn_inactive_snapshot_deactivates(survey):
    from services.survey.tasks import service_targets_changed

    v2 = _event(target(1, title="带徒 v2", version=2))
    service_targets_changed(message=v2)
    service_targets_changed(message=v2)  # delivered twice
    service_targets_changed(message=_event(target(1, title="带徒 v1", version=1)))  # late and older: ignored
    service_targets_changed(message=_event(target(2, active=False), target(3)))
    with survey.db.session() as s:
        rows = {t.id: t for t in s.scalars(select(ServiceTargetCopy))}
        assert (rows[1].title, rows[1].version, rows[1].active, rows[2].active) == ("带徒 v2", 2, True, False)
        assert rows[1].period_end == date(2026, 12, 31)
    service_targets_changed(message=_event(target(3), snapshot=True))
    with survey.db.session() as s:
        assert {t.id for t in s.scalars(select(ServiceTargetCopy).where(ServiceTargetCopy.active))} == {3}


def test_set_by_matches_provider_and_overlapping_period(session):
    service_targets.apply(session, ServiceTargetsChanged(targets=[
        target(1), target(2, start="2026-04-01", end="2026-06-30"), target(3, start="2025-01-01", end="2025-12-31"),
        target(4, provider=("org", 3)), target(5, provider=("org", 2)), target(6, active=False)]))
    session.flush()
    got = service_targets.set_by(session, [("person", 101), ("branch", 3), ("committee", 9), ("pledge", 1)],
                                 date(2026, 1, 1), date(2026, 12, 31))
    assert {k: [t["id"] for t in v] for k, v in got.items()} == {("person", 101): [1, 2], ("branch", 3): [4]}
    assert got[("person", 101)][0] == {"id": 1, "title": "目标1", "content": "内容"}
    q2 = service_targets.set_by(session, [("person", 101)], date(2026, 7, 1), date(2026, 9, 30))
    assert [t["id"] for t in q2[("person", 101)]] == [1]
