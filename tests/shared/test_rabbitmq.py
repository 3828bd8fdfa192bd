"""xianfeng on the machine's RabbitMQ (rabbitmq profile only): quorum queues under the test's own prefix,
nothing of anyone else's touched, readiness and queue depth read from RabbitMQ."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from amqp.exceptions import NotFound, PreconditionFailed
from kombu import Connection

from shared import metrics
from shared.celery import service_queue
from shared.testing.rabbitmq import delete_broker_objects

pytestmark = pytest.mark.rabbitmq


def _declare(url: str, name: str, **options):
    with Connection(url) as conn:
        return conn.channel().queue_declare(name, **options)


def test_service_queues_are_quorum_queues_of_the_prefix_and_only_they_are_removed(services, live_settings):
    url, prefix = live_settings.broker_url, live_settings.broker_key_prefix
    survey = services["survey"]
    survey.start(live_settings, sender=None)
    for _ in range(3):  # with publisher confirms: back from send_task once RabbitMQ has the message
        survey.celery.send_task("survey.metrics_probe", queue="survey")
    assert _declare(url, prefix + "survey", passive=True).message_count == 3
    assert metrics.broker_queue_depth(live_settings, "survey") == 3
    scraped = survey.create_app(live_settings).test_client().get("/metrics").get_data(as_text=True)
    assert re.search(r'^xianfeng_queue_depth\{queue="survey",service="survey"\} 3\.0$', scraped, re.M), scraped
    classic = {**service_queue("survey", prefix).queue_arguments, "x-queue-type": "classic"}
    with pytest.raises(PreconditionFailed, match="x-queue-type"):  # it is a quorum queue: a classic one is refused
        _declare(url, prefix + "survey", durable=True, auto_delete=False, arguments=classic)

    neighbour = prefix + "neighbour-"  # another deployment's queue on the same server
    with Connection(url) as conn:
        service_queue("survey", neighbour)(conn.channel()).declare()
    try:
        delete_broker_objects(url, prefix)
        with pytest.raises(NotFound):
            _declare(url, prefix + "survey", passive=True)
        assert metrics.broker_queue_depth(live_settings, "survey") == 0
        assert _declare(url, neighbour + "survey", passive=True).message_count == 0  # untouched
    finally:
        delete_broker_objects(url, neighbour)
    with pytest.raises(NotFound):
        _declare(url, neighbour + "survey", passive=True)


def test_readyz_reports_rabbitmq_and_the_result_backend(services, live_settings):
    notify = services["notify"]
    ready = notify.create_app(live_settings).test_client().get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json["checks"] == {"database": "ok", "broker": "ok", "result_backend": "ok"}

    no_broker = replace(live_settings, broker_url="amqp://guest:guest@127.0.0.1:1//")
    down = notify.create_app(no_broker).test_client().get("/readyz")
    assert down.status_code == 503 and down.json["checks"]["broker"].startswith("failed")
    assert down.json["checks"]["result_backend"] == "ok" and down.json["status"] == "unavailable: broker"

    no_results = replace(live_settings, result_backend="redis://127.0.0.1:1/0")
    down = notify.create_app(no_results).test_client().get("/readyz")
    assert down.status_code == 503 and down.json["checks"]["broker"] == "ok"
    assert down.json["checks"]["result_backend"].startswith("failed")
