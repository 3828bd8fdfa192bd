"""Redis or RabbitMQ: the settings each needs, the Celery options each gets, and what RabbitMQ dead-letters.

No broker answers here (nothing connects); ``test_rabbitmq.py`` does the same against a real RabbitMQ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from celery.utils.imports import symbol_by_name

from shared.celery import configure, make_celery
from shared.db import Database
from shared.deadletter import BrokerDeadLetters, DeadLetters
from shared.settings import SettingsError, load

AMQP = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens: these tests must not need a broker


def test_rabbitmq_needs_a_result_backend_that_chords_work_with(tmp_path):
    base = {"XIANFENG_DATA_DIR": str(tmp_path), "XIANFENG_BROKER_URL": AMQP}
    with pytest.raises(SettingsError, match=r"XIANFENG_RESULT_BACKEND.*it has no default"):
        load(base)
    for backend in ("rpc://", "amqp://guest@mq//", "pyamqp://mq//"):
        with pytest.raises(SettingsError, match="does not support chords"):
            load({**base, "XIANFENG_RESULT_BACKEND": backend})
    settings = load({**base, "XIANFENG_BROKER_URL": "pyamqp://mq//", "XIANFENG_RESULT_BACKEND": "redis://r:6379/0"})
    assert settings.broker_is_amqp and not settings.broker_is_embedded
    assert settings.result_backend == "redis://r:6379/0" and settings.broker_delivery_limit == 10
    assert load({**base, "XIANFENG_BROKER_URL": "amqps://mq//", "XIANFENG_RESULT_BACKEND": "redis://r/0"}).broker_is_amqp
    on_redis = load({**base, "XIANFENG_BROKER_URL": "redis://r:6379/0"})
    assert not on_redis.broker_is_amqp and on_redis.result_backend == "redis://r:6379/0"
    with pytest.raises(SettingsError, match="XIANFENG_BROKER_DELIVERY_LIMIT"):
        load({**base, "XIANFENG_RESULT_BACKEND": "redis://r/0", "XIANFENG_BROKER_DELIVERY_LIMIT": "0"}).check()


def _amqp_settings(tmp_path, **extra: str):
    return load({"XIANFENG_DATA_DIR": str(tmp_path), "XIANFENG_BROKER_URL": AMQP,
                 "XIANFENG_RESULT_BACKEND": "redis://127.0.0.1:1/0", **extra})


def test_on_rabbitmq_each_queue_is_a_quorum_queue_under_the_prefix_with_a_delivery_limit(tmp_path):
    app = make_celery("survey")
    configure(app, _amqp_settings(tmp_path, XIANFENG_BROKER_KEY_PREFIX="xf-a:", XIANFENG_BROKER_DELIVERY_LIMIT="4"),
              "survey")
    queue = app.amqp.queues["survey"]  # known by the service's name, declared under the prefix
    assert (queue.name, queue.routing_key, queue.exchange.name, queue.durable) == (
        "xf-a:survey", "xf-a:survey", "xf-a:survey", True)
    assert queue.queue_arguments == {
        "x-queue-type": "quorum", "x-delivery-limit": 4, "x-dead-letter-exchange": "xf-a:xianfeng.dead",
        "x-dead-letter-routing-key": "xf-a:survey", "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish"}
    # routing by task-name prefix still holds: any service sends to the owner's queue
    assert app.amqp.router.route({}, "notify.deliver")["queue"].name == "xf-a:notify"
    assert app.amqp.router.route({}, "pledge.relay_outbox")["queue"].name == "xf-a:pledge"
    dead = app.conf.xianfeng_dead_letter_queue
    assert (dead.name, dead.exchange.name, dead.routing_key) == ("xf-a:survey.dead", "xf-a:xianfeng.dead",
                                                                 "xf-a:survey")
    # publisher confirms; no Redis option (visibility timeout, key prefix) reaches kombu's amqp transport
    assert app.conf.broker_transport_options == {"confirm_publish": True}
    assert (app.conf.control_exchange, app.conf.event_exchange) == ("xf-a:celery", "xf-a:celeryev")
    assert (app.conf.task_acks_late, app.conf.task_reject_on_worker_lost, app.conf.worker_prefetch_multiplier) == (
        True, True, 1)
    steps = symbol_by_name(app.conf.worker_consumer).Blueprint.default_steps
    assert "celery.worker.consumer.tasks:Tasks" in steps and not [s for s in steps if "DelayedDelivery" in s]

    # the same app back on Redis: nothing of RabbitMQ's stays
    configure(app, load({"XIANFENG_DATA_DIR": str(tmp_path), "XIANFENG_BROKER_URL": "redis://127.0.0.1:1/0",
                         "XIANFENG_BROKER_KEY_PREFIX": "xf-b:"}), "survey")
    assert app.conf.broker_transport_options["global_keyprefix"] == "xf-b:"
    assert app.conf.broker_transport_options["visibility_timeout"] == 7200
    assert app.conf.task_queues is None and app.conf.xianfeng_dead_letter_queue is None
    assert app.amqp.queues["survey"].name == "survey" and app.conf.control_exchange == "celery"


@dataclass
class Timer:
    calls: list = field(default_factory=list)

    def call_after(self, seconds, fun, args=(), kwargs=None, priority=0):
        self.calls.append((seconds, fun, args))


@dataclass
class Parent:
    """What a consumer step gets from the worker: its app and its timer."""

    app: object
    timer: Timer = field(default_factory=Timer)


@dataclass
class DeadMessage:
    """A message as RabbitMQ dead-letters it: Celery's headers, its body, the x-death record."""

    headers: dict
    body: object = b""
    acked: int = 0

    def ack(self) -> None:
        self.acked += 1


def _dead(task_id: str, reason: str, queue: str) -> DeadMessage:
    return DeadMessage({"id": task_id, "task": "survey.directory_changed", "retries": 0,
                        "x-death": [{"reason": reason, "queue": queue, "count": 1}]})


def test_what_rabbitmq_dead_letters_is_acknowledged_only_once_its_row_is_written(services, test_environ, sent,
                                                                               tmp_path):
    survey = services["survey"]
    settings = load({**test_environ, "XIANFENG_BROKER_URL": AMQP, "XIANFENG_RESULT_BACKEND": "redis://127.0.0.1:1/0",
                     "XIANFENG_BROKER_KEY_PREFIX": "xf-u:"})
    survey.start(settings, sender=sent)
    step = BrokerDeadLetters(Parent(survey.celery))
    letters = survey.runtime.dead_letters
    body = [[], {"message": {"orgs": [], "people": [], "snapshot": False}}, {}]
    message = _dead("lost-1", "delivery_limit", "xf-u:survey")

    # the database does not answer: the message stays unacknowledged, the write is tried again later
    survey.runtime.dead_letters = DeadLetters(Database(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}"),
                                              letters.table, survey.celery)
    step.on_message(body, message)
    assert message.acked == 0 and len(step.timer.calls) == 1
    seconds, again, args = step.timer.calls[0]
    assert seconds == BrokerDeadLetters.RETRY

    survey.runtime.dead_letters = letters  # it answers again
    again(*args)
    assert message.acked == 1
    (row,) = letters.list()["items"]
    assert row["id"] == "lost-1" and row["task"] == "survey.directory_changed" and row["kwargs"] == body[1]
    assert row["error"] == ("dead-lettered by RabbitMQ from queue xf-u:survey (delivery_limit): delivered 11 times "
                            "without an acknowledgement, its worker lost each time")

    # a task that failed on its own and was also rejected keeps its own error; anything unreadable is kept too
    letters.record("failed-1", "survey.directory_changed", [], {}, ValueError("the real reason"))
    rejected = _dead("failed-1", "rejected", "xf-u:survey")
    step.on_message(body, rejected)
    garbled = _dead("garbled-1", "delivery_limit", "xf-u:survey")
    garbled.body = b"\xff not json"
    step.on_undecodable(garbled, ValueError("undecodable"))
    assert rejected.acked == 1 and garbled.acked == 1
    rows = {r["id"]: r for r in letters.list()["items"]}
    assert rows["failed-1"]["error"] == "ValueError: the real reason"
    assert rows["garbled-1"]["kwargs"] == {"undecodable_body": "\ufffd not json"}
