"""What the end-to-end tests of ``xianfeng run`` share: its environment (ports and a data dir of its own,
the backend's databases and broker) and a token its services accept."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from deploy.helpers import free_port

from shared.settings import SERVICES
from shared.testing.databases import BACKEND, environ_for_test, on_postgres


@pytest.fixture
def run_environ(tmp_path, test_databases) -> Callable[..., dict[str, str]]:
    """``run_environ(data_dir)``: the environment of a ``xianfeng run`` on free ports, one web process and one
    pool process per piece; on the services backend, this test's PostgreSQL databases and a key prefix."""
    databases: dict[str, str] = {}

    def make(data_dir: Path, ports: dict[str, int] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_")}
        env.update({"XIANFENG_DATA_DIR": str(data_dir), "XIANFENG_LOG_JSON": "true", "XIANFENG_WEB_WORKERS": "1",
                    "XIANFENG_WORKER_CONCURRENCY": "1"})
        for name in SERVICES:
            env[f"XIANFENG_{name.upper()}_PORT"] = str((ports or {}).get(name) or free_port())
        if on_postgres(BACKEND):  # PostgreSQL + Redis or RabbitMQ: this test's databases (emptied once)
            databases.update(databases or test_databases.fresh(tmp_path))
            env.update(environ_for_test(data_dir, databases))
            env.pop("XIANFENG_ENV")
        return env

    return make
