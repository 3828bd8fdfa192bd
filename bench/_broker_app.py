"""A bare Celery app for the broker benchmark (the worker subprocess imports it by name).

``BENCH_BROKER`` is Redis or RabbitMQ; on RabbitMQ the queue is what production uses (a quorum queue
with a delivery limit, under ``BENCH_PREFIX``, publisher confirms) and results go to ``BENCH_RESULTS``.
"""

import os

from celery import Celery

from shared.celery import service_queue
from shared.settings import is_amqp

broker = os.environ.get("BENCH_BROKER", "")
prefix = os.environ.get("BENCH_PREFIX", "")
app = Celery("bench", broker=broker, backend=os.environ.get("BENCH_RESULTS") or broker)
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
