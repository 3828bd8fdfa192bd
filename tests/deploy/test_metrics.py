"""GET /metrics on every service: requests by URL rule, task outcomes, queue depth, outbox, the hook."""

from __future__ import annotations

import pytest
from celery import Celery
from prometheus_client.parser import text_string_to_metric_families

from deploy.helpers import value
from shared import metrics
from shared.messages import DirectoryChanged, OrgRecord
from shared.metrics import Sample
from shared.settings import SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_answers_metrics_by_url_rule(name, services, settings, sent, scrape):
    svc = services[name]
    svc.start(settings, sender=sent)
    app = svc.create_app(settings)
    app.add_url_rule("/things/<int:thing_id>", "thing", lambda thing_id: {"id": thing_id})
    client = app.test_client()
    before = scrape(client)
    for thing_id in (1, 2, 3):
        assert client.get(f"/things/{thing_id}").status_code == 200
    client.get("/healthz")
    client.get("/b/secret-ballot-token-123456")
    client.get("/no-such-page/123")

    scraped = scrape(client)

    assert value(scraped, "xianfeng_http_requests_total", service=name, endpoint="/things/<int:thing_id>",
                 method="GET", status="200") == 3
    unmatched = {"service": name, "endpoint": "<unmatched>", "status": "404"}
    assert value(scraped, "xianfeng_http_requests_total", **unmatched) > (
        value(before, "xianfeng_http_requests_total", **unmatched) or 0)
    assert value(scraped, "xianfeng_http_request_duration_seconds_count", service=name,
                 endpoint="/things/<int:thing_id>") == 3
    assert not any("secret-ballot" in str(labels) or "/things/1" in str(labels) for _, labels in scraped)
    others = [s for s in SERVICES if s != name]
    assert not any(("service", o) in labels for o in others for n, labels in scraped if n.startswith("xianfeng_http"))


def test_task_outcomes_are_counted_per_task_name(notify, notify_client, scrape):
    app = Celery("notify", set_as_current=False)
    app.conf.task_always_eager = True

    @app.task(name="notify.metrics_probe_ok", shared=False)
    def ok() -> int:
        return 1

    @app.task(name="notify.metrics_probe_broken", shared=False)
    def broken() -> None:
        raise RuntimeError("boom")

    @app.task(name="notify.metrics_probe_retry", bind=True, max_retries=1, shared=False)
    def retried(self) -> None:
        raise self.retry(countdown=0, exc=RuntimeError("again"))

    ok.apply()
    ok.apply()
    broken.apply()
    retried.apply()

    scraped = scrape(notify_client)
    assert value(scraped, "xianfeng_tasks_total", service="notify", task="notify.metrics_probe_ok",
                 outcome="success") == 2
    assert value(scraped, "xianfeng_tasks_total", task="notify.metrics_probe_broken", outcome="failure") == 1
    assert value(scraped, "xianfeng_tasks_total", task="notify.metrics_probe_retry", outcome="retry") >= 1
    assert value(scraped, "xianfeng_task_duration_seconds_count", task="notify.metrics_probe_ok") == 2


def test_outbox_backlog_counts_what_the_relay_could_not_send(pledge, pledge_client, sent, scrape):
    sent.fail = True
    with pledge.db.session() as session:
        pledge.publish(session, DirectoryChanged(orgs=[OrgRecord(id=1, code="HG", name="集团党委", kind="committee",
                                                                 parent_id=None, path="/1/")]))
    scraped = scrape(pledge_client)
    assert value(scraped, "xianfeng_outbox_backlog", service="pledge") == 2  # survey and notify
    assert value(scraped, "xianfeng_outbox_oldest_unsent_seconds", service="pledge") >= 0
    assert value(scraped, "xianfeng_metrics_source_up", service="pledge", source="outbox") == 1

    sent.fail = False
    pledge.runtime.relay.relay()
    scraped = scrape(pledge_client)
    assert value(scraped, "xianfeng_outbox_backlog", service="pledge") == 0
    assert value(scraped, "xianfeng_outbox_oldest_unsent_seconds", service="pledge") == 0


def test_queue_depth_is_read_from_the_broker_at_scrape_time(services, live_settings, scrape):
    survey = services["survey"]
    survey.start(live_settings)
    for _ in range(3):
        survey.celery.send_task("survey.metrics_probe", queue="survey")
    scraped = scrape(survey.create_app(live_settings).test_client())
    assert value(scraped, "xianfeng_queue_depth", service="survey", queue="survey") == 3
    assert value(scraped, "xianfeng_metrics_source_up", service="survey", source="broker") == 1
    client = metrics.redis_client(live_settings.broker_url)
    client.delete(live_settings.broker_key_prefix + "survey")
    client.close()


def test_a_broker_that_does_not_answer_is_reported_not_fatal(services, settings, scrape):
    from dataclasses import replace

    down = replace(settings, broker_url="redis://127.0.0.1:1/0", result_backend="redis://127.0.0.1:1/0")
    notify = services["notify"]
    notify.start(down, sender=lambda *a: None)
    scraped = scrape(notify.create_app(down).test_client())
    assert value(scraped, "xianfeng_metrics_source_up", service="notify", source="broker") == 0
    assert value(scraped, "xianfeng_queue_depth", service="notify") is None
    assert value(scraped, "xianfeng_metrics_source_up", service="notify", source="outbox") == 1


def test_the_service_hook_exports_domain_gauges(notify, notify_client, scrape, monkeypatch):
    def hook(session):
        return [
            Sample("notification_deliveries", 5, {"channel": "email", "state": "sent"}),
            Sample("notification_deliveries", 2, {"channel": "email", "state": "failed"}),
            Sample("Bad-Name", 1),
        ]

    monkeypatch.setattr(notify, "metrics", hook)
    scraped = scrape(notify_client)
    assert value(scraped, "xianfeng_notification_deliveries", service="notify", channel="email", state="sent") == 5
    assert value(scraped, "xianfeng_notification_deliveries", state="failed") == 2
    assert value(scraped, "xianfeng_metrics_source_up", service="notify", source="hook") == 1

    monkeypatch.setattr(notify, "metrics", lambda session: {"rounds_open": 3})
    assert value(scrape(notify_client), "xianfeng_rounds_open", service="notify") == 3

    def failing(session):
        raise RuntimeError("query failed")

    monkeypatch.setattr(notify, "metrics", failing)
    scraped = scrape(notify_client)
    assert value(scraped, "xianfeng_metrics_source_up", service="notify", source="hook") == 0
    assert value(scraped, "xianfeng_metrics_source_up", service="notify", source="outbox") == 1


def test_files_of_other_processes_add_up_with_this_process(tmp_path):
    """Multiprocess mode as gunicorn workers and the Celery pool write it: one exposition of all."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from shared import metrics;"
        "metrics.use_multiprocess(Path(sys.argv[1]));"
        "metrics.TASKS.labels('survey', 'survey.aggregate', 'success').inc(2);"
        "print('ready', flush=True); sys.stdin.read()"
    )
    running = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        assert [p.stdout.readline().strip() for p in running] == ["ready", "ready"]
        metrics.TASKS.labels("survey", "survey.aggregate", "success").inc()
        text = metrics.exposition("survey", tmp_path).decode()
    finally:
        for p in running:
            p.communicate("", timeout=30)
    families = {f.name: f for f in text_string_to_metric_families(text)}
    totals = [s.value for s in families["xianfeng_tasks"].samples
              if s.labels.get("task") == "survey.aggregate" and s.labels.get("outcome") == "success"]
    assert len(totals) == 1 and totals[0] >= 5  # 2 + 2 from the files, 1 (or more) in this process


def test_files_of_processes_that_ended_are_pruned_at_start(tmp_path):
    import os
    import subprocess
    import sys

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True).stdout.strip()
    (tmp_path / f"counter_{ended}.db").write_bytes(b"")
    (tmp_path / f"histogram_{ended}.db").write_bytes(b"")
    (tmp_path / f"counter_{os.getpid()}.db").write_bytes(b"")

    removed = metrics.prune_dead(tmp_path)

    assert sorted(p.name for p in removed) == [f"counter_{ended}.db", f"histogram_{ended}.db"]
    assert (tmp_path / f"counter_{os.getpid()}.db").exists()
