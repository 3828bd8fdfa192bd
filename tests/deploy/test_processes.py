"""Each piece starts alone with the command its image runs, and what it does shows in metrics and logs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from deploy.helpers import free_port, samples, value
from shared import metrics
from shared.messages import DirectoryChanged, OrgRecord
from shared.testing.processes import wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def _start(args: list[str], environ: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "shared.cli", *args], env={**os.environ, **environ},
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _healthcheck(*command: str) -> int:
    return subprocess.run([sys.executable, str(ROOT / "deploy" / "healthcheck.py"), *command],
                          capture_output=True, timeout=30).returncode


def test_serve_answers_health_and_adds_up_its_gunicorn_workers(test_environ, tmp_path):
    port = free_port()
    web = _start(["serve", "notify", "--port", str(port)], {**test_environ, "XIANFENG_WEB_WORKERS": "2"},
                 tmp_path / "web.log")
    try:
        wait_for(lambda: _healthcheck("xianfeng", "serve", "notify", "--port", str(port)) == 0, 60,
                 interval=0.5, what="web answers /healthz")
        for _ in range(12):
            assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).status_code == 200
        scraped = samples(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text)
        assert value(scraped, "xianfeng_http_requests_total", service="notify", endpoint="/openapi.json",
                     status="200") == 12  # whichever gunicorn worker answered each one
        assert list((tmp_path / "metrics" / "notify").glob("*.db"))
    finally:
        _stop(web)
    assert _healthcheck("xianfeng", "serve", "notify", "--port", str(port)) == 1
    assert _healthcheck("xianfeng", "worker", "notify") == 0  # not a web process: nothing to probe


def test_a_worker_reports_task_outcomes_on_its_port_and_to_its_service(workers, services, live_settings, scrape):
    port = free_port()
    workers("notify", XIANFENG_METRICS_PORT=str(port))
    notify = services["notify"]
    for _ in range(2):
        notify.celery.send_task("notify.purge_idempotency", queue="notify")

    def outcomes() -> float | None:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        return value(samples(text), "xianfeng_tasks_total", service="notify", task="notify.purge_idempotency",
                     outcome="success")

    assert wait_for(lambda: outcomes() == 2, 30, interval=0.3, what="two successes on the worker's port")
    # on one host the web process reads the worker's files too (xianfeng run)
    scraped = scrape(notify.create_app(live_settings).test_client())
    assert value(scraped, "xianfeng_tasks_total", task="notify.purge_idempotency", outcome="success") >= 2
    assert metrics.directory(live_settings, "notify").is_dir()


def test_a_request_id_travels_into_the_task_it_causes(workers, services, live_settings):
    worker = workers("notify")
    survey = services["survey"]
    survey.start(live_settings)
    app = survey.create_app(live_settings)

    def change_directory():
        with survey.db.session() as session:
            survey.publish(session, DirectoryChanged(orgs=[
                OrgRecord(id=1, code="HG", name="杭钢集团党委", kind="committee", parent_id=None, path="/1/"),
            ]))
        return {"ok": True}

    app.add_url_rule("/probe/directory", "probe_directory", change_directory, methods=["POST"])
    request_id = uuid.uuid4().hex
    response = app.test_client().post("/probe/directory", headers={"X-Request-ID": request_id})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == request_id

    def task_line() -> dict | None:
        for line in worker.log().splitlines():
            if line.startswith("{"):
                event = json.loads(line)
                if event.get("event") == "task_done" and event.get("task") == "notify.directory_changed":
                    return event
        return None

    event = wait_for(task_line, 30, interval=0.3, what="notify.directory_changed ran")
    assert event["request_id"] == request_id
    assert event["state"] == "SUCCESS"


def test_beat_starts_alone_and_sends_to_every_queue(test_environ, live_settings, tmp_path):
    beat = _start(["beat"], test_environ, tmp_path / "beat.log")
    try:
        def every_queue_fed() -> bool:
            assert beat.poll() is None, (tmp_path / "beat.log").read_text()[-3000:]
            return all(metrics.broker_queue_depth(live_settings, q) > 0 for q in ("pledge", "survey", "notify"))

        assert wait_for(every_queue_fed, 40, interval=0.5, what="relay_outbox sent to each queue")
    finally:
        _stop(beat)
        client = metrics.redis_client(live_settings.broker_url)  # RabbitMQ: the conftest deletes the test's queues
        if client is not None:
            client.delete(*(live_settings.broker_key_prefix + q for q in ("pledge", "survey", "notify")))
            client.close()
