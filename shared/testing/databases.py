"""Test databases for each service, like production: built by Alembic ``upgrade head``.

``XIANFENG_TEST_BACKEND=embedded`` (default): a migrated SQLite template per service, copied
fresh for every test.  ``XIANFENG_TEST_BACKEND=services``: one PostgreSQL database per service
created for the test session (unique name, dropped at the end), emptied before every test; the
broker is the machine's Redis on a database number of our own (never flushed).
``XIANFENG_TEST_BACKEND=rabbitmq``: the same PostgreSQL databases, the machine's RabbitMQ as broker
(queues and exchanges under a prefix of the test's own, deleted after it) and Redis for results.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from shared.settings import SERVICES, Settings, load

BACKEND = os.environ.get("XIANFENG_TEST_BACKEND", "embedded")
PG_ADMIN_URL = os.environ.get("XIANFENG_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("XIANFENG_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def on_postgres(backend: str) -> bool:
    """The profiles on the machine's PostgreSQL: ``services`` (with Redis) and ``rabbitmq``."""
    return backend in ("services", "rabbitmq")


# RabbitMQ prefixes handed out to tests of this process (tests/conftest.py deletes their objects after each test)
ISSUED_BROKER_PREFIXES: list[str] = []


def pg_url(dbname: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname


def create_pg_database(name: str) -> str:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class ServiceDatabases:
    """One database per service for a test session; :meth:`fresh` gives a clean one per test."""

    def __init__(self, workdir: Path, services: dict, backend: str = BACKEND) -> None:
        self.workdir, self.services, self.backend = workdir, services, backend
        self.tag = f"xf_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.urls: dict[str, str] = {}

    def setup(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for name, svc in self.services.items():
            if on_postgres(self.backend):
                url = create_pg_database(f"{self.tag}_{name}")
            else:
                url = f"sqlite:///{self.workdir / (name + '.template.sqlite3')}"
            settings = load({f"XIANFENG_{name.upper()}_DATABASE_URL": url, "XIANFENG_DATA_DIR": str(self.workdir)})
            svc.migrate(settings)
            self.urls[name] = url

    def teardown(self) -> None:
        for svc in self.services.values():
            if svc.runtime is not None:
                svc.runtime.db.dispose()
        if on_postgres(self.backend):
            for name in self.services:
                drop_pg_database(f"{self.tag}_{name}")

    def fresh(self, test_dir: Path) -> dict[str, str]:
        """Database URLs for one test: copies of the templates, or emptied PostgreSQL databases."""
        urls = {}
        for name, svc in self.services.items():
            if on_postgres(self.backend):
                self._truncate(self.urls[name], svc.metadata)
                urls[name] = self.urls[name]
            else:
                target = test_dir / f"{name}.sqlite3"
                shutil.copyfile(self.urls[name].split("///", 1)[1], target)
                urls[name] = f"sqlite:///{target}"
        return urls

    @staticmethod
    def _truncate(url: str, metadata) -> None:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()


def environ_for_test(data_dir: Path, urls: dict[str, str], backend: str = BACKEND) -> dict[str, str]:
    """The ``XIANFENG_*`` variables for a test (or a subprocess started by one)."""
    env = {"XIANFENG_ENV": "test", "XIANFENG_DATA_DIR": str(data_dir), "XIANFENG_LOG_JSON": "true",
           # tests on the real clock must not depend on the hour they run at; quiet-hours tests set their own
           "XIANFENG_NOTIFY_QUIET_HOURS": "off"}
    for name in SERVICES:
        if name in urls:
            env[f"XIANFENG_{name.upper()}_DATABASE_URL"] = urls[name]
    if on_postgres(backend):
        from shared.testing.rabbitmq import RABBITMQ_URL

        env["XIANFENG_BROKER_URL"] = REDIS_URL if backend == "services" else RABBITMQ_URL
        env["XIANFENG_RESULT_BACKEND"] = REDIS_URL
        # queues of concurrent test runs on the shared Redis or RabbitMQ must not meet
        env["XIANFENG_BROKER_KEY_PREFIX"] = f"xf-test-{data_dir.name}-{uuid.uuid4().hex[:6]}:"
        if backend == "rabbitmq":
            ISSUED_BROKER_PREFIXES.append(env["XIANFENG_BROKER_KEY_PREFIX"])
    return env


def settings_for_test(data_dir: Path, urls: dict[str, str]) -> Settings:
    return load(environ_for_test(data_dir, urls))
