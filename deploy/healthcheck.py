#!/usr/bin/env python3
"""The image's HEALTHCHECK: ``GET /healthz`` for a web process, "it runs" for every other command.

It reads the container's command from ``/proc/1/cmdline`` (or from its own arguments, for tests):
``xianfeng serve SERVICE [--port N]`` is probed on its port (the ``--port`` given, else
``XIANFENG_<SERVICE>_PORT``, else the default); worker, beat and migrate need no probe here
(the orchestrator restarts a process that exits; workers answer ``celery inspect ping``).
Exit 0 healthy, 1 not.
"""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path


def command_line(argv: list[str]) -> list[str]:
    if argv:
        return argv
    raw = Path("/proc/1/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part]


def web_port(args: list[str]) -> int | None:
    """The port of ``xianfeng serve SERVICE [--port N]`` (``None`` when the command is not serve)."""
    words = [Path(a).name if i == 0 else a for i, a in enumerate(args)]
    if "serve" not in words:
        return None
    rest = words[words.index("serve") + 1:]
    if "--port" in rest and rest.index("--port") + 1 < len(rest):
        return int(rest[rest.index("--port") + 1])
    service = next(a for a in rest if not a.startswith("-"))
    from shared.settings import load

    return load().service(service).port


def main(argv: list[str]) -> int:
    port = web_port(command_line(argv))
    if port is None:
        return 0
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
