"""``python -m bench._web MODULE:FACTORY PORT``: serve an app factory as ``xianfeng serve`` does.

The same server for the service and for its baseline (shared.wsgi: gunicorn, 2 gthread workers × 4
threads, the production keep-alive), and the logs configured from the ``XIANFENG_*`` environment as
the command line configures them (unconfigured, structlog would print every request line, unmasked).
"""

from __future__ import annotations

import importlib
import sys

from shared.logs import configure
from shared.settings import load
from shared.wsgi import serve

WORKERS = 2


def main(target: str, port: str) -> int:
    module, factory = target.split(":")
    settings = load()
    configure(settings.log_level, settings.log_json)
    return serve(getattr(importlib.import_module(module), factory), "127.0.0.1", int(port), WORKERS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
