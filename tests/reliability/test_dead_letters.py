"""A message that keeps failing ends in a visible dead-letter record that can be replayed (issue 8, #6) — and
on RabbitMQ, so does one whose worker dies on every delivery (issue 16)."""

import pytest

from shared import cli
from shared.settings import load
from shared.testing.processes import WorkerProcess, wait_for

from .test_worker_faults import PEOPLE, _big_sync, _people, _running, _send, _succeeded

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


def test_a_poison_message_becomes_a_dead_letter_listed_and_replayable(live, workers, auth_headers, test_environ,
                                                                     monkeypatch, capsys):
    survey = live("survey")
    workers("survey")
    # a payload no consumer can read: DirectoryChanged.orgs must be a list
    survey.celery.send_task("survey.directory_changed", kwargs={"message": {"orgs": "not a list"}},
                            queue="survey", task_id="poison-1")
    client = survey.create_app(survey.runtime.settings).test_client()

    def listed():
        body = client.get("/api/v1/dead-letters", headers=auth_headers("admin")).json
        return body if body["total"] else None

    body = wait_for(listed, 30, interval=0.3, what="dead letter recorded")
    letter = body["items"][0]
    assert letter["id"] == "poison-1" and letter["task"] == "survey.directory_changed"
    assert "expected a list" in letter["error"] and letter["kwargs"] == {"message": {"orgs": "not a list"}}
    assert letter["replayed_at"] is None
    for name, value in test_environ.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["dead-letters", "survey", "--pending"]) == 0
    assert "poison-1" in capsys.readouterr().out

    assert client.get("/api/v1/dead-letters", headers=auth_headers("member", sub=1)).status_code == 403
    assert client.get("/api/v1/dead-letters").status_code == 401
    assert client.post("/api/v1/dead-letters/poison-1/replay", headers=auth_headers("system")).status_code == 403

    resp = client.post("/api/v1/dead-letters/poison-1/replay", headers=auth_headers("admin"))
    assert resp.status_code == 202 and resp.json["replay_task_id"]
    again = client.post("/api/v1/dead-letters/poison-1/replay", headers=auth_headers("admin", lang="en"))
    assert again.status_code == 409 and "already replayed" in again.json["message"]
    # the replay ran and failed the same way: a second letter, not an endless loop
    wait_for(lambda: client.get("/api/v1/dead-letters?pending=1", headers=auth_headers("admin")).json["total"] == 1,
             30, interval=0.3, what="the replay's own dead letter")
    assert client.get("/api/v1/dead-letters", headers=auth_headers("admin")).json["total"] == 2
    assert client.post("/api/v1/dead-letters/nope/replay", headers=auth_headers("admin")).status_code == 404


@pytest.mark.rabbitmq
def test_a_message_that_loses_its_worker_on_every_delivery_ends_as_a_dead_letter_not_in_a_loop(
        services, test_environ, tmp_path, auth_headers):
    """RabbitMQ's delivery limit (2 here): the third delivery whose worker dies is the last; the quorum queue
    dead-letters the message and the worker writes it down, listed and replayable like any other."""
    env = {**test_environ, "XIANFENG_BROKER_DELIVERY_LIMIT": "2"}
    settings = load(env)
    survey = services["survey"]
    survey.start(settings, sender=None)
    worker = WorkerProcess(survey, env, tmp_path, verbose=True).start()  # logs each delivery received
    client = survey.create_app(settings).test_client()
    try:
        task = _send(survey, "lost-every-time")
        received, lost = f"[{task}] received", "Task handler raised error: WorkerLostError"
        for delivery in range(1, 4):
            wait_for(lambda d=delivery: worker.log().count(received) == d and _running(worker, task), 60,
                     interval=0.1, what=f"delivery {delivery} running")
            worker.kill_pool()  # the process running it dies, every time: WorkerLostError, message requeued
            wait_for(lambda d=delivery: worker.log().count(lost) == d, 30, what=f"delivery {delivery} lost")

        def listed():
            body = client.get("/api/v1/dead-letters", headers=auth_headers("admin", lang="en")).json
            return body["items"] if body["total"] else None

        (letter,) = wait_for(listed, 60, interval=0.3, what="the dead-lettered message recorded")
        assert letter["id"] == task and letter["task"] == "survey.directory_changed"
        assert "(delivery_limit): delivered 3 times without an acknowledgement" in letter["error"]
        assert letter["kwargs"] == {"message": _big_sync()} and letter["replayed_at"] is None
        assert _people(survey) == 0 and not _succeeded(worker, task)

        resp = client.post(f"/api/v1/dead-letters/{task}/replay", headers=auth_headers("admin"))
        assert resp.status_code == 202
        replay = resp.json["replay_task_id"]
        wait_for(lambda: _succeeded(worker, replay), 120, interval=0.3, what="the replay run to the end")
        assert _people(survey) == PEOPLE
        # three deliveries and no more: it left the queue instead of looping
        assert worker.log().count(received) == 3
    finally:
        worker.stop()
        survey.runtime.db.dispose()
