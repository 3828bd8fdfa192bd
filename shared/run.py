"""``xianfeng run``: the preflight, the children (broker, three web processes, three workers, beat) and
the one line that says everything answers."""

from __future__ import annotations

import os

from shared import preflight
from shared.embedded import EmbeddedBroker
from shared.settings import Settings
from shared.supervisor import Child, Supervisor, http_ready, xianfeng_argv


def children(settings: Settings, services: dict, verbose: bool = False) -> list[Child]:
    flags = ["--verbose"] if verbose else []
    found: list[Child] = []
    if settings.broker_is_embedded:
        broker = EmbeddedBroker(settings.data_dir, settings.embedded_broker_socket)
        found.append(Child("broker", broker.command(), ready=broker.answers, tier=0, before_start=broker.prepare))
    for name in services:
        url = settings.service(name).url
        found.append(Child(f"{name}-web", xianfeng_argv(*flags, "serve", name), ready=http_ready(f"{url}/readyz")))
        found.append(Child(f"{name}-worker", xianfeng_argv(*flags, "worker", name)))
    found.append(Child("beat", xianfeng_argv(*flags, "beat")))
    return found


def ready_line(settings: Settings, services: dict) -> str:
    urls = "  ".join(f"{name} {settings.service(name).url}" for name in services)
    return f"xianfeng is ready: {urls}  (API docs at <url>/docs; Ctrl-C stops everything)"


def run(settings: Settings, services: dict, verbose: bool = False) -> int:
    """Refuse when another run holds the data dir, the broker socket or a port; else migrate, start, supervise."""
    lock = preflight.DataDirLock(settings.data_dir).acquire()
    try:
        if settings.broker_is_embedded:
            preflight.check_broker_socket(settings.embedded_broker_socket)
        preflight.check_ports(settings.bind_host, {name: settings.service(name).port for name in services})
        print(f"xianfeng is starting {', '.join(services)} with their workers and the scheduler "
              f"(data in {settings.data_dir}) …", flush=True)
        for svc in services.values():
            svc.migrate(settings)
        env = dict(os.environ, XIANFENG_DATA_DIR=str(settings.data_dir))
        supervisor = Supervisor(children(settings, services, verbose))
        return supervisor.run(env, on_ready=lambda: print(ready_line(settings, services), flush=True))
    finally:
        lock.release()
