"""The counters every process keeps: HTTP requests, Celery task outcomes and durations."""

from __future__ import annotations

import time

from celery import signals
from prometheus_client import Counter, Histogram

PREFIX = "xianfeng_"
REQUESTS = Counter(
    "xianfeng_http_requests", "HTTP requests answered", ["service", "method", "endpoint", "status"],
)
REQUEST_SECONDS = Histogram(
    "xianfeng_http_request_duration_seconds", "Time to answer an HTTP request",
    ["service", "method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter("xianfeng_tasks", "Celery task outcomes", ["service", "task", "outcome"])
TASK_SECONDS = Histogram(
    "xianfeng_task_duration_seconds", "Time a Celery task ran", ["service", "task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0),
)
OWN_FAMILIES = ("xianfeng_http_request", "xianfeng_task")


def _task_labels(task) -> tuple[str, str]:
    name = getattr(task, "name", None) or "unknown"
    return name.split(".", 1)[0], name


@signals.task_success.connect
def _task_succeeded(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "success").inc()


@signals.task_failure.connect
def _task_failed(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "failure").inc()


@signals.task_retry.connect
def _task_retried(sender=None, **_kw) -> None:
    TASKS.labels(*_task_labels(sender), "retry").inc()


_task_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_prerun(task_id=None, **_kw) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _task_postrun(task_id=None, task=None, **_kw) -> None:
    started = _task_started.pop(task_id, None) if task_id else None
    if started is not None:
        TASK_SECONDS.labels(*_task_labels(task)).observe(time.perf_counter() - started)
