"""Messages crossing services through the outbox, a real broker and real worker processes."""

import pytest

from shared.directory import counts
from shared.testing.processes import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


def _projection(svc):
    tables = svc.extensions_directory if hasattr(svc, "extensions_directory") else None
    if tables is None:
        import importlib

        tables = importlib.import_module(f"services.{svc.name}.models").directory
    with svc.db.session() as s:
        return counts(s, tables)


def test_an_org_created_in_pledge_reaches_survey_and_notify_through_real_workers(live, workers, auth_headers):
    pledge = live("pledge")
    survey_worker, notify_worker = workers("survey"), workers("notify")
    client = pledge.create_app(pledge.runtime.settings).test_client()
    resp = client.post("/api/v1/orgs", json={"name": "集团党委", "code": "HG", "kind": "committee"},
                       headers=auth_headers("admin"))
    assert resp.status_code == 201, resp.json
    for worker in (survey_worker, notify_worker):
        got = wait_for(lambda w=worker: _projection(w.service) == {"orgs": 1, "people": 0}, 30,
                       what=f"{worker.service.name} projection")
        assert got
    with pledge.db.session() as s:  # the outbox row is marked sent, its payload dropped
        rows = s.execute(pledge.outbox_table.select()).all()
    assert rows and all(r.sent_at is not None for r in rows)


def test_a_killed_pool_process_gives_the_task_back(live, workers, auth_headers):
    """SIGKILL of the process running a task: with acks_late + reject_on_worker_lost it runs again."""
    pledge = live("pledge")
    worker = workers("survey")
    worker.kill_pool()  # nothing running: the pool replaces its child and carries on
    wait_for(lambda: worker.pool_pids(), 20, what="new pool process")
    client = pledge.create_app(pledge.runtime.settings).test_client()
    client.post("/api/v1/orgs", json={"name": "集团党委", "code": "HG", "kind": "committee"},
                headers=auth_headers("admin"))
    assert wait_for(lambda: _projection(worker.service)["orgs"] == 1, 30, what="projection after pool restart")
