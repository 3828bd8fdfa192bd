"""The copy of published pledges, kept from pledge's ``PledgesChanged`` by the consumer task."""

from __future__ import annotations

from sqlalchemy import select

from services.survey.models import PledgeCopy
from shared.messages import PledgesChanged

from ...factories import PledgeRecordFactory


def _event(*pledges, snapshot: bool = False) -> dict:
    return PledgesChanged(pledges=list(pledges), snapshot=snapshot).to_payload()


def test_pledges_changed_keeps_the_newest_version_and_snapshots_deactivate(survey):
    from services.survey.tasks import pledges_changed

    branch_pledge = {"id": 1, "pledger_type": "org", "pledger_id": 3}
    v2 = _event(PledgeRecordFactory(**branch_pledge, title="降本 v2", version=2))
    v1 = _event(PledgeRecordFactory(**branch_pledge, title="降本 v1", state="submitted", version=1))
    pledges_changed(message=v2)
    pledges_changed(message=v2)  # delivered twice
    pledges_changed(message=v1)  # late and older: ignored
    pledges_changed(message=_event(PledgeRecordFactory(id=2, title="新", pledger_id=7), snapshot=True))
    with survey.db.session() as s:
        rows = {p.id: p for p in s.scalars(select(PledgeCopy))}
    assert (rows[1].title, rows[1].state, rows[1].active) == ("降本 v2", "published", False)
    assert rows[2].active
