"""A bare Celery app for the broker benchmark: :func:`make_app` for the benchmark's process (one per
broker), ``app`` for the worker subprocess (``celery -A bench._broker_app``, configured by ``BENCH_*``).

On RabbitMQ the queue is what production uses (a quorum queue with a delivery limit, under the prefix,
publisher confirms); results go to ``results`` (Redis) there, to the broker itself on Redis.
"""

import os

from celery import Celery

from shared.celery import service_queue
from shared.settings import is_amqp


def make_app(broker: str, prefix: str = "", results: str = "") -> Celery:
    app = Celery("bench", broker=broker, backend=results or broker, set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"], task_acks_late=True,
        worker_prefetch_multiplier=1, task_default_queue="bench", worker_hijack_root_logger=False,
        broker_transport_options={"global_keyprefix": prefix},
    )
    if is_amqp(broker):
        app.conf.update(
            broker_transport_options={"confirm_publish": True}, task_queues=[service_queue("bench", prefix)],
            control_exchange=prefix + "celery", event_exchange=prefix + "celeryev",
            worker_consumer="shared.celery:WorkerConsumer",
        )

    @app.task(name="bench.noop")
    def noop(i: int) -> int:
        return i

    @app.task(name="bench.total")
    def total(values: list[int]) -> int:
        return sum(values)

    return app


app = make_app(os.environ.get("BENCH_BROKER", ""), os.environ.get("BENCH_PREFIX", ""),
               os.environ.get("BENCH_RESULTS", ""))
