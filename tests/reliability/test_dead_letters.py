"""A message that keeps failing ends in a visible dead-letter record that can be replayed (issue 8, #6)."""

import pytest

from shared import cli
from shared.testing.processes import wait_for

pytestmark = pytest.mark.e2e


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
