#!/usr/bin/env python3
"""The image's HEALTHCHECK: the same endpoints as the k8s liveness probes, found from the command.

It reads the container's command from ``/proc/1/cmdline`` (or from its own arguments, for tests;
under ``--init`` PID 1 is the init process, whose arguments end with the real command):
- ``xianfeng serve SERVICE [--port N]``: ``GET /healthz`` on its port (the ``--port`` given, else
  ``XIANFENG_<SERVICE>_PORT``, else the default);
- ``xianfeng worker SERVICE``: ``GET /metrics`` on ``XIANFENG_METRICS_PORT`` when it is set (the
  worker's main process serves it), else nothing to probe;
- beat, migrate and the rest: nothing to probe (the orchestrator restarts a process that exits).
Exit 0 healthy, 1 not.
"""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path

PROBES = {"serve": "/healthz", "worker": "/metrics"}  # command → the path its k8s liveness probe asks


def command_line(argv: list[str]) -> list[str]:
    if argv:
        return argv
    raw = Path("/proc/1/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part]


def probe(args: list[str], environ: Mapping[str, str] | None = None) -> tuple[int, str] | None:
    """``(port, path)`` to ask for the command ``args``, or ``None`` when there is nothing to probe."""
    from shared.settings import load

    words = [Path(a).name for a in args]
    piece = next((w for w in words if w in PROBES), None)
    if piece is None:
        return None
    path, rest = PROBES[piece], args[words.index(piece) + 1:]
    settings = load(environ)
    if piece == "worker":
        return (settings.metrics_port, path) if settings.metrics_port else None
    if "--port" in rest and rest.index("--port") + 1 < len(rest):
        return int(rest[rest.index("--port") + 1]), path
    service = next(a for a in rest if not a.startswith("-"))
    return settings.service(service).port, path


def main(argv: list[str]) -> int:
    target = probe(command_line(argv))
    if target is None:
        return 0
    port, path = target
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
