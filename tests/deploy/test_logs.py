"""No token, ballot link, password or secret in any log line, whatever path the value takes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace

import pytest
import structlog

from shared import auth
from shared.settings import SERVICES

BALLOT_TOKEN = "Zb7Qx2Lr9Tn4Vw8Ky3Md6Pf1"
PASSWORD = "correct-horse-battery-staple-42"
SMTP_PASSWORD = "smtp-Pa55word-never-logged"
DB_PASSWORD = "db-pass-word-never-logged-7"


def _lines(buffer) -> list[dict]:
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.mark.parametrize("name", SERVICES)
def test_requests_with_secrets_leave_none_in_the_logs(name, services, settings, sent, captured_logs):
    settings = replace(settings, smtp_password=SMTP_PASSWORD)
    svc = services[name]
    svc.start(settings, sender=sent)
    app = svc.create_app(settings)
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    client = app.test_client()
    token = auth.mint(settings.secret_key, roles=["admin"], sub="1")
    headers = {"Authorization": f"Bearer {token}", "Cookie": f"session={token}"}

    client.get(f"/b/{BALLOT_TOKEN}", headers=headers)
    client.post(f"/b/{BALLOT_TOKEN}", data={"answers": "5", "token": BALLOT_TOKEN})
    client.get(f"/api/v1/ballots/{BALLOT_TOKEN}?token={BALLOT_TOKEN}", headers=headers)
    client.post("/api/v1/login", json={"user": "zhang", "password": PASSWORD}, headers=headers)
    client.get("/healthz", headers={**headers, "X-Request-ID": token})
    client.get("/boom", headers=headers)

    text = captured_logs.getvalue()
    lines = _lines(captured_logs)
    assert any(line.get("event") == "request" for line in lines)
    assert any(line.get("event") == "unhandled_exception" for line in lines)
    for secret in (token, BALLOT_TOKEN, PASSWORD, SMTP_PASSWORD, settings.secret_key):
        assert secret not in text


def test_values_under_sensitive_keys_and_shaped_like_secrets_are_masked(settings, captured_logs):
    token = auth.mint(settings.secret_key, roles=["member"], sub="7")
    log = structlog.get_logger("xianfeng.test")
    log.info("login", password=PASSWORD, smtp_password=SMTP_PASSWORD, answers={"q1": 5},
             headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    log.info("invite", link=f"https://survey.example/b/{BALLOT_TOKEN}", body=f"请点击 /b/{BALLOT_TOKEN} 作答")
    log.info("connect", url=f"postgresql://survey:{DB_PASSWORD}@postgres:5432/survey")
    try:
        raise ValueError(f"bad token {token} for /api/v1/ballots/{BALLOT_TOKEN}")
    except ValueError:
        log.exception("failed")
    logging.getLogger("celery.app.trace").error(
        "Task %s raised: %r", "notify.send", {"link": f"/b/{BALLOT_TOKEN}", "token": token},
        extra={"data": {"kwargs": f"{{'password': '{PASSWORD}', 'dsn': 'redis://:{DB_PASSWORD}@redis:6379/0'}}"}},
    )

    text = captured_logs.getvalue()
    assert len(_lines(captured_logs)) == 5
    for secret in (token, BALLOT_TOKEN, PASSWORD, SMTP_PASSWORD, DB_PASSWORD):
        assert secret not in text
    assert "Accept" in text and "application/json" in text  # what is not secret stays readable
    assert "postgres:5432/survey" in text


def test_configured_secret_values_are_masked_wherever_they_appear(settings, captured_logs):
    from shared import logs

    logs.mask_values([SMTP_PASSWORD, settings.secret_key])
    structlog.get_logger("xianfeng.test").warning("smtp_login_failed", detail=f"535 auth failed for {SMTP_PASSWORD}")
    logging.getLogger("xianfeng.test").warning("key is %s", settings.secret_key)
    text = captured_logs.getvalue()
    assert SMTP_PASSWORD not in text and settings.secret_key not in text


def test_an_app_built_outside_the_command_line_still_logs_through_the_redaction(test_environ):
    """``gunicorn 'services.survey:create_app()'`` (or a shell) never called ``xianfeng``'s log set-up: the
    first start of a service sets it up, so a ballot link in a request line is masked there too."""
    script = ("from services.survey import create_app\n"
              f"create_app().test_client().get('/api/v1/ballots/{BALLOT_TOKEN}')\n")
    env = {**os.environ, **test_environ, "XIANFENG_LOG_LEVEL": "INFO"}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    output = run.stdout + run.stderr
    assert BALLOT_TOKEN not in output
    requests = [json.loads(line) for line in output.splitlines() if '"event": "request"' in line]
    assert requests and requests[0]["path"] == "/api/v1/ballots/***"
