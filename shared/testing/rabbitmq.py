"""RabbitMQ for tests and benchmarks: the machine's server under a prefix of our own, or a throwaway node.

The shared server (``XIANFENG_TEST_RABBITMQ_URL``, default 127.0.0.1:5672 guest/guest) is only ever
touched under a prefix a test made up: :func:`delete_broker_objects` removes exactly the queues and
exchanges xianfeng declares under that prefix (``shared.celery.broker_objects``), nothing else.  A
test that must stop the broker starts :class:`ThrowawayRabbitMQ`, a node of its own on free ports.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path

from kombu import Connection

from shared.celery import broker_objects
from shared.settings import SERVICES
from shared.testing.processes import wait_for

RABBITMQ_URL = os.environ.get("XIANFENG_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
CTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        return True
    except Exception:
        return False


def delete_broker_objects(url: str, prefix: str, names: Iterable[str] = SERVICES) -> None:
    """Remove the queues and exchanges xianfeng declared under ``prefix`` (missing ones are fine)."""
    assert prefix, "never delete unprefixed names on a shared broker"
    queues, exchanges = broker_objects(prefix, names)
    with Connection(url, connect_timeout=5) as conn:
        channel = conn.channel()
        for name in queues:
            channel.queue_delete(name)
        for name in exchanges:
            channel.exchange_delete(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRabbitMQ:
    """A RabbitMQ node of our own (own name, ports, data and cookie under ``workdir``); stop/start keeps its data.

    About 5 s to start and 1 s to stop on our machine, ~140 MB: for the tests that stop a broker."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port, self.dist_port = _free_port(), _free_port()
        self.node = f"xf-{uuid.uuid4().hex[:8]}@localhost"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return os.access(SERVER, os.X_OK)

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _environ(self) -> dict[str, str]:
        base = self.workdir
        (base / "rabbitmq.conf").write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq-env.conf").touch()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update(
            HOME=str(base), RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port), RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_BASE=str(base), RABBITMQ_MNESIA_BASE=str(base / "mnesia"), RABBITMQ_LOG_BASE=str(base / "log"),
            RABBITMQ_CONFIG_FILE=str(base / "rabbitmq.conf"), RABBITMQ_CONF_ENV_FILE=str(base / "rabbitmq-env.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(base / "enabled_plugins"), RABBITMQ_PID_FILE=str(base / "pid"),
            ERL_EPMD_ADDRESS="127.0.0.1",
        )
        return env

    def start(self, timeout: float = 60.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with (self.workdir / "server.log").open("ab") as log:
            self.process = subprocess.Popen([SERVER], env=self._environ(), cwd=self.workdir, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

        def up() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited: {(self.workdir / 'server.log').read_text()[-3000:]}")
            return answers(self.url, timeout=1)

        wait_for(up, timeout, interval=0.25, what="throwaway RabbitMQ")

    def block_publishers(self, blocked: bool = True) -> None:
        """RabbitMQ's memory alarm on (a high watermark of 0) or off again: publishing connections are blocked."""
        subprocess.run([CTL, "-n", self.node, "set_vm_memory_high_watermark", "0" if blocked else "0.4"],
                       env=self._environ(), cwd=self.workdir, check=True, capture_output=True, timeout=60)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM: RabbitMQ shuts down cleanly (queues are on disk); its process group is gone after."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        with contextlib.suppress(ProcessLookupError):  # erl_child_setup and friends of this node
            os.killpg(self.process.pid, signal.SIGKILL)
