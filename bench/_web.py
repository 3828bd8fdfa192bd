"""``python -m bench._web MODULE:FACTORY PORT``: serve an app factory as ``xianfeng serve`` does.

The same server for the service and for its baseline (shared.wsgi: gunicorn, 2 gthread workers × 4
threads, the production keep-alive); a service's first start sets up its logs from the ``XIANFENG_*``
environment, as it does under any server.
"""

from __future__ import annotations

import importlib
import sys

from shared.wsgi import serve

WORKERS = 2


def main(target: str, port: str) -> int:
    module, factory = target.split(":")
    return serve(getattr(importlib.import_module(module), factory), "127.0.0.1", int(port), WORKERS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
