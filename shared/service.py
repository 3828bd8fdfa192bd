"""A service as the command line and the tests see it: name, app factory, worker, migrations, jobs.

Each service declares one :class:`Service` (in its ``app.py``) and publishes it under the
``xianfeng.services`` entry point; ``xianfeng`` finds services only through that entry point, so
``shared`` never imports a service.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from celery import Celery, signals
from flask import Flask
from sqlalchemy.orm import DeclarativeBase, Session

from shared import celery as celery_setup
from shared import deadletter, idempotency, logs, metrics, migrations, outbox
from shared.context import Context
from shared.db import Database, utcnow
from shared.messages import Message
from shared.metrics import Sample
from shared.settings import Settings, load
from shared.web import Api, create_app

KEEP = object()  # Service.start(sender=KEEP): keep the running runtime's sender


@dataclass
class Runtime:
    settings: Settings
    db: Database
    celery: Celery
    relay: outbox.Relay
    idempotency: idempotency.Idempotency
    sender: Callable | None = None
    dead_letters: deadletter.DeadLetters | None = None


class Service:
    """Subclass per service: set the class attributes, override the hooks that apply."""

    name: str = ""
    title: str = ""
    description: str = ""
    package: str = ""  # e.g. "services.pledge"
    tasks_module: str | None = None  # imported when the service starts, registers its tasks

    def __init__(self, base: type[DeclarativeBase]) -> None:
        self.base = base
        self.metadata = base.metadata
        self.outbox_table = outbox.define_table(self.metadata)
        self.idempotency_table = idempotency.define_table(self.metadata)
        self.dead_letter_table = deadletter.define_table(self.metadata)
        self.celery = celery_setup.make_celery(self.name)
        self.celery.steps["consumer"].add(deadletter.BrokerDeadLetters)  # RabbitMQ only (include_if)
        self.runtime: Runtime | None = None
        self._register_common_tasks()

    # ---- hooks -------------------------------------------------------------------------------
    def register_api(self, app: Flask, api: Api) -> None:
        """Register this service's blueprints."""

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        """Periodic tasks beyond the common ones (``{name: {"task": ..., "schedule": seconds|crontab}}``)."""
        return {}

    def daily(self, day: date) -> dict[str, Any]:
        """The nightly jobs for ``day``; returns what was done (for the CLI to print)."""
        return {}

    def seed_demo(self) -> dict[str, Any]:
        return {}

    def metrics(self, session: Session) -> Iterable[Sample] | dict[str, float]:
        """Domain gauges computed when Prometheus scrapes ``/metrics`` (default: none).

        Return :class:`shared.metrics.Sample` objects (or a plain ``{name: value}`` dict); each is
        exported as ``xianfeng_<name>{service="<this service>", **labels}``.  Read with ``session``
        (a short read-only transaction; PostgreSQL cancels it after 2 s), count with SQL, keep
        labels to small closed sets.  E.g. notify: ``Sample("notifications", n, {"channel": "email",
        "state": "failed"})``; survey: ``Sample("rounds_open", n, {"kind": "three_way"})`` and
        ``Sample("round_response_rate", 0.42, {"round_id": "7"})`` for open rounds only.
        """
        return {}

    # ---- lifecycle ---------------------------------------------------------------------------
    @property
    def migrations_dir(self) -> Path:
        return Path(importlib.import_module(self.package).__file__).parent / "migrations"

    def start(self, settings: Settings | None = None, *, sender: Callable | object | None = KEEP) -> Runtime:
        """Bind this process to its database and broker (idempotent for the same settings).

        ``sender`` replaces the broker behind the outbox relay (tests); ``None`` is the real broker;
        left out, a runtime already started on the same settings is kept as it is.
        """
        settings = settings or load()
        if self.runtime is not None and self.runtime.settings == settings and sender in (KEEP, self.runtime.sender):
            return self.runtime
        if sender is KEEP:
            sender = None
        if self.runtime is not None:
            self.runtime.db.dispose()
        logs.configure_unless_configured(settings.log_level, settings.log_json)
        celery_setup.configure(self.celery, settings, self.name)
        db = Database(settings.service(self.name).database_url)
        relay = outbox.Relay(db, self.outbox_table, self.celery, sender=sender)
        outbox.relay_after_commit(db, relay)
        idem = idempotency.Idempotency(db, self.idempotency_table, settings.idempotency_ttl)
        self.runtime = Runtime(settings, db, self.celery, relay, idem, sender,
                               deadletter.DeadLetters(db, self.dead_letter_table, self.celery))
        if self.tasks_module:
            importlib.import_module(self.tasks_module)
        return self.runtime

    @property
    def db(self) -> Database:
        assert self.runtime is not None, f"{self.name} is not started"
        return self.runtime.db

    def publish(self, session, message: Message) -> list[str]:
        """Write a cross-service message into this service's outbox (same transaction)."""
        return outbox.publish(session, self.outbox_table, message)

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False, clock: Callable[[], datetime] | None = None
                     ) -> Iterator[Context]:
        """A :class:`Context` on one transaction: committed when the block ends, rolled back on error.

        ``read_only``: ``Database.reading()`` (no write lock on SQLite) and no publishing."""
        assert self.runtime is not None, f"{self.name} is not started"
        if read_only:
            with self.db.reading() as session:
                yield Context(session, self.runtime.settings, clock=clock or utcnow)
            return
        with self.db.session() as session:
            yield Context(session, self.runtime.settings, functools.partial(self.publish, session),
                          clock or utcnow)

    def create_app(self, settings: Settings | None = None) -> Flask:
        runtime = self.start(settings)
        checks = {"database": runtime.db.ping, "broker": self.ping_broker}
        if runtime.settings.result_backend != runtime.settings.broker_url and metrics.redis_client(
                runtime.settings.result_backend) is not None:
            checks["result_backend"] = self.ping_result_backend  # RabbitMQ: chords wait on this Redis
        app, api = create_app(
            self.name, runtime.settings, title=self.title, description=self.description,
            ready_checks=checks,
            metrics_collectors=[metrics.ServiceCollector(self, runtime.settings)],
        )
        runtime.idempotency.init_app(app)
        api.register_blueprint(deadletter.blueprint())
        self.register_api(app, api)
        app.extensions["xianfeng_service"] = self
        return app

    def migrate(self, settings: Settings | None = None) -> None:
        settings = settings or load()
        migrations.upgrade(self.name, self.migrations_dir, settings.service(self.name).database_url)

    def ping_broker(self) -> None:
        with self.celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)

    def ping_result_backend(self) -> None:
        client = metrics.redis_client(self.runtime.settings.result_backend)
        try:
            client.ping()
        finally:
            client.close()

    def worker_argv(self, concurrency: int, extra: Iterable[str] = ()) -> list[str]:
        return [
            "worker", "-Q", self.name, "-c", str(concurrency), "-n", f"{self.name}@%h",
            "--without-gossip", "--without-mingle", "-l", "INFO", *extra,
        ]

    def common_schedule(self) -> dict[str, dict[str, Any]]:
        return {
            f"{self.name}.relay_outbox": {"task": f"{self.name}.relay_outbox", "schedule": 10.0},
            f"{self.name}.purge_idempotency": {
                "task": f"{self.name}.purge_idempotency", "schedule": timedelta(hours=1),
            },
        }

    def _register_common_tasks(self) -> None:
        @self.celery.task(name=f"{self.name}.relay_outbox", ignore_result=True)
        def relay_outbox() -> int:
            return self.runtime.relay.relay() if self.runtime else 0

        @self.celery.task(name=f"{self.name}.purge_idempotency", ignore_result=True)
        def purge_idempotency() -> int:
            return self.runtime.idempotency.purge() if self.runtime else 0


@signals.worker_process_init.connect
def _fresh_connections_after_fork(**_kw) -> None:
    for svc in discover().values():
        if svc.runtime is not None:
            svc.runtime.db.engine.dispose(close=False)


def _dead_letters_of(app: Celery) -> deadletter.DeadLetters | None:
    for svc in discover().values():
        if svc.celery is app and svc.runtime is not None:
            return svc.runtime.dead_letters
    return None


deadletter.install_signal(_dead_letters_of)

_DISCOVERED: dict[str, Service] = {}


def discover() -> dict[str, Service]:
    """The installed services, by name, from the ``xianfeng.services`` entry point."""
    if not _DISCOVERED:
        for ep in entry_points(group="xianfeng.services"):
            _DISCOVERED[ep.name] = ep.load()
    return dict(sorted(_DISCOVERED.items(), key=lambda kv: ("pledge", "survey", "notify").index(kv[0])
                       if kv[0] in ("pledge", "survey", "notify") else 9))
