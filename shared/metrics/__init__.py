"""Prometheus metrics of every service: ``GET /metrics`` on each web process.

What a scrape shows, all labelled ``service``:

- ``xianfeng_http_requests_total{method,endpoint,status}`` and
  ``xianfeng_http_request_duration_seconds{method,endpoint}``: ``endpoint`` is the URL rule
  (``/api/v1/pledges/<int:pledge_id>``), never the raw path, so ids and ballot tokens stay out.
- ``xianfeng_tasks_total{task,outcome}`` (outcome: success | failure | retry, from the Celery signals)
  and ``xianfeng_task_duration_seconds{task}``.
- computed at scrape time: ``xianfeng_queue_depth{queue}`` (messages waiting on the broker, Redis or RabbitMQ),
  ``xianfeng_outbox_backlog`` and ``xianfeng_outbox_oldest_unsent_seconds`` (outbox rows not yet
  relayed), ``xianfeng_metrics_source_up{source}`` (1 when broker / outbox / hook answered), and
  whatever the service's :meth:`Service.metrics` hook returns (see :class:`Sample`).

Processes: gunicorn forks several web workers and Celery forks a pool, so a process started by
``xianfeng serve`` or ``xianfeng worker`` writes its counters into ``<data dir>/metrics/<service>/``
(prometheus multiprocess mode) and ``/metrics`` adds up every file there.  On one host
(``xianfeng run``) the web process therefore also shows its worker's task outcomes; in containers
each worker serves its own files on ``XIANFENG_METRICS_PORT`` (scrape both).  In-process (tests)
counters stay in memory and are shown by the app of the same service.
"""

from shared.metrics.counters import REQUEST_SECONDS, REQUESTS, TASK_SECONDS, TASKS
from shared.metrics.processes import directory, prune_dead, serve_worker_metrics, use_multiprocess
from shared.metrics.scrape import (
    Sample,
    ServiceCollector,
    amqp_queue_depth,
    as_samples,
    broker_queue_depth,
    families,
    outbox_backlog,
    queue_depth,
    redis_client,
)
from shared.metrics.web import exposition, init_app

__all__ = [
    "REQUESTS", "REQUEST_SECONDS", "TASKS", "TASK_SECONDS", "Sample", "ServiceCollector", "amqp_queue_depth",
    "as_samples", "broker_queue_depth",
    "directory", "exposition", "families", "init_app", "outbox_backlog", "prune_dead", "queue_depth",
    "redis_client", "serve_worker_metrics", "use_multiprocess",
]
