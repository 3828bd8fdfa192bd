"""Quiet by default: the libraries' start-up and per-task chatter, periodic tasks and probes log at DEBUG."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest

from shared import celery as celery_setup
from shared import logs


@pytest.fixture
def capture():
    """``capture(level, verbose)`` → a buffer that every later log line is rendered into, as in production."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)

    def start(level: str = "INFO", verbose: bool = False) -> io.StringIO:
        logs.configure(level, json=True, verbose=verbose)
        buffer = io.StringIO()
        root.handlers[0].setStream(buffer)
        return buffer

    yield start
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def _lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def _chatter() -> None:
    logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.schemas")
    logging.getLogger("celery.beat").info("Scheduler: Sending due task pledge.relay_outbox (pledge.relay_outbox)")
    logging.getLogger("celery.app.trace").info("Task notify.sweep[1] succeeded in 0.01s: {}")
    logging.getLogger("httpx").info('HTTP Request: GET http://127.0.0.1:5001/readyz "HTTP/1.1 200 OK"')
    logging.getLogger("celery.app.trace").error("Task notify.deliver[2] raised unexpected: OSError()")
    logging.getLogger("alembic.runtime.migration").warning("a warning stays")


def test_library_chatter_is_debug_unless_verbose_and_errors_always_show(capture):
    quiet = capture("INFO")
    _chatter()
    assert [(line["level"], line["logger"]) for line in _lines(quiet)] == [
        ("error", "celery.app.trace"), ("warning", "alembic.runtime.migration")]

    debug = capture("DEBUG")
    _chatter()
    assert [line["level"] for line in _lines(debug)] == ["debug", "debug", "debug", "debug", "error", "warning"]

    verbose = capture("INFO", verbose=True)
    _chatter()
    assert [line["level"] for line in _lines(verbose)] == ["info", "info", "info", "info", "error", "warning"]


def _task(periodic: bool) -> SimpleNamespace:
    request = SimpleNamespace(**({celery_setup.PERIODIC_HEADER: True} if periodic else {}))
    return SimpleNamespace(name="pledge.relay_outbox", request=request)


def test_a_periodic_task_that_succeeded_logs_at_debug_anything_else_at_info(capture):
    buffer = capture("INFO")
    celery_setup._log_task_done(task_id="1", task=_task(periodic=True), state="SUCCESS")  # the beat's, every 10 s
    celery_setup._log_task_done(task_id="2", task=_task(periodic=True), state="FAILURE")
    celery_setup._log_task_done(task_id="3", task=_task(periodic=False), state="SUCCESS")  # caused by a request
    assert [(line["event"], line["state"]) for line in _lines(buffer)] == [("task_done", "FAILURE"),
                                                                           ("task_done", "SUCCESS")]


def test_probe_and_docs_asset_requests_log_at_debug_api_requests_at_info(capture, services, settings, sent):
    services["survey"].start(settings, sender=sent)
    client = services["survey"].create_app(settings).test_client()
    buffer = capture("INFO")
    for path in ("/healthz", "/readyz", "/metrics", "/docs/assets/swagger-ui.css", "/openapi.json"):
        assert client.get(path).status_code in (200, 503), path  # /readyz: no broker in this test
    assert [line["path"] for line in _lines(buffer) if line["event"] == "request"] == ["/openapi.json"]
