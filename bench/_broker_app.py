"""A bare Celery app for the broker benchmark (the worker subprocess imports it by name)."""

import os

from celery import Celery

app = Celery("bench", broker=os.environ.get("BENCH_BROKER", ""), backend=os.environ.get("BENCH_BROKER", ""))
app.conf.update(
    task_serializer="json", result_serializer="json", accept_content=["json"], task_acks_late=True,
    worker_prefetch_multiplier=1, task_default_queue="bench", worker_hijack_root_logger=False,
    broker_transport_options={"global_keyprefix": os.environ.get("BENCH_PREFIX", "")},
)


@app.task(name="bench.noop")
def noop(i: int) -> int:
    return i


@app.task(name="bench.total")
def total(values: list[int]) -> int:
    return sum(values)
