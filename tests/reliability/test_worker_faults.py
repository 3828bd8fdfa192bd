"""Workers killed or stopped in the middle of a task (issue 8, #1, #3 and #8): nothing lost, nothing twice.

The task is a directory sync big enough to be caught mid-way: 10,000 people into survey's copy.
"""

import signal

import pytest

from shared.directory import counts
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord
from shared.testing.processes import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

PEOPLE = 30_000  # a sync long enough (seconds) to be seen running and killed mid-way on a fast machine


def _big_sync() -> dict:
    return DirectoryChanged(
        orgs=[OrgRecord(1, "HG", "集团党委", "committee", None, "/1/")],
        people=[PersonRecord(i, f"E{i:06d}", f"职工{i}", 1, i % 3 == 0, "1990-02-28", [])
                for i in range(1, PEOPLE + 1)],
        snapshot=True,
    ).to_payload()


def _people(svc) -> int:
    from services.survey.models import directory

    with svc.db.session() as s:
        return counts(s, directory)["people"]


def _send(svc, task_id: str) -> str:
    svc.celery.send_task("survey.directory_changed", kwargs={"message": _big_sync()}, task_id=task_id,
                         queue="survey")
    return task_id


def _running(worker, task_id: str) -> bool:
    """The worker reports the task among its active ones (remote control; results are not kept)."""
    active = worker.service.celery.control.inspect(destination=[worker.node], timeout=1).active() or {}
    return any(t["id"] == task_id for tasks in active.values() for t in tasks)


def _succeeded(worker, task_id: str) -> int:
    return worker.runs(task_id, "SUCCESS")


def test_killing_the_process_running_a_task_runs_it_again_with_one_effect(workers):
    worker = workers("survey")
    survey = worker.service
    task = _send(survey, "sync-kill-pool")
    wait_for(lambda: _running(worker, task), 30, interval=0.1, what="task running")
    worker.kill_pool()  # SIGKILL mid-task: WorkerLostError, the message goes back (reject_on_worker_lost)
    wait_for(lambda: _succeeded(worker, task), 120, interval=0.3, what="task run again to the end")
    assert "WorkerLostError" in worker.log()
    assert _people(survey) == PEOPLE and _succeeded(worker, task) == 1


def test_a_whole_worker_killed_mid_task_gets_it_back_after_restart(workers):
    # a short visibility timeout so the unacknowledged message comes back within the test
    worker = workers("survey", XIANFENG_VISIBILITY_TIMEOUT="3")
    survey = worker.service
    task = _send(survey, "sync-kill-all")
    wait_for(lambda: _running(worker, task), 30, interval=0.1, what="task running")
    worker.kill()
    assert not _succeeded(worker, task)
    worker.start()
    wait_for(lambda: _succeeded(worker, task), 120, interval=0.5, what="redelivered after the worker died")
    assert _people(survey) == PEOPLE


def test_the_same_message_twice_has_one_effect(workers):
    worker = workers("survey")
    survey = worker.service
    first, second = _send(survey, "sync-twice-1"), _send(survey, "sync-twice-2")
    wait_for(lambda: _succeeded(worker, first) and _succeeded(worker, second), 120, interval=0.3,
             what="both deliveries")
    assert _people(survey) == PEOPLE


def test_sigterm_lets_the_running_task_finish(workers):
    worker = workers("survey")
    survey = worker.service
    task = _send(survey, "sync-sigterm")
    wait_for(lambda: _running(worker, task), 30, interval=0.1, what="task running")
    worker.process.send_signal(signal.SIGTERM)  # warm shutdown, as Ctrl-C on xianfeng run does
    assert worker.process.wait(120) == 0
    assert _succeeded(worker, task) == 1
    assert _people(survey) == PEOPLE
