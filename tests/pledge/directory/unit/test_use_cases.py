"""Directory use cases with hand-built units of work: the snapshot for survey and notify, and the people a bulk
upsert publishes, read off a list that stands in for the outbox."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from services.pledge.directory import sync
from services.pledge.directory.importing.upsert import OrgIndex, upsert_people
from shared.context import Context
from shared.messages import DirectoryChanged, PeopleChanged


def _units_of_work(pledge, settings, sent: list):
    @contextmanager
    def unit_of_work():
        with pledge.db.session() as session:
            yield Context(session, settings, publish=sent.append)

    return unit_of_work


def test_the_snapshot_sends_orgs_first_then_people_in_batches(pledge, settings, tree):
    sent: list = []
    assert sync.sync_directory(_units_of_work(pledge, settings, sent), batch=2) == {
        "messages": 4, "orgs": 6, "people": 5}
    assert [m.snapshot for m in sent] == [True, False, False, False]
    assert [len(m.orgs) for m in sent] == [6, 0, 0, 0] and [len(m.people) for m in sent] == [0, 2, 2, 1]


def test_upserted_people_go_out_as_one_people_changed_read_back_as_directory_changed(pledge, settings, tree):
    sent: list = []
    rows = [(2, {"employee_no": "E1", "name": "张三丰", "org_code": "ZL2", "party_member": "是"}),
            (3, {"employee_no": "N1", "name": "新人", "org_code": "JH1", "party_member": "否"})]
    with _units_of_work(pledge, settings, sent)() as ctx:
        outcome = upsert_people(ctx, rows, OrgIndex.load(ctx.session), "zh", date(2026, 4, 1), {})
    assert (outcome.written, outcome.created, outcome.errors) == (2, 1, [])
    [message] = sent
    assert isinstance(message, PeopleChanged) and message.tasks == DirectoryChanged.tasks
    people = DirectoryChanged.from_payload(message.to_payload()).people
    assert [(p.employee_no, p.name, p.org_id) for p in people] == [("E1", "张三丰", tree.b2), ("N1", "新人", tree.b3)]
