"""Several processes, one set of counts: prometheus multiprocess mode under the data dir."""

from __future__ import annotations

import os
from pathlib import Path

import structlog
from celery import signals
from prometheus_client import CollectorRegistry, values
from prometheus_client.multiprocess import MultiProcessCollector

from shared.settings import Settings

log = structlog.get_logger(__name__)

_multiprocess_dir: Path | None = None


def directory(settings: Settings, service: str) -> Path:
    """Where the processes of ``service`` write their counters (multiprocess mode)."""
    return settings.data_dir / "metrics" / service


def use_multiprocess(path: Path) -> None:
    """From now on this process keeps its counters in files under ``path`` (call before the first count)."""
    global _multiprocess_dir
    if _multiprocess_dir == path:
        return
    path.mkdir(parents=True, exist_ok=True)
    prune_dead(path)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    values.ValueClass = values.MultiProcessValue()
    _multiprocess_dir = path


def prune_dead(path: Path) -> list[Path]:
    """Drop the files of processes that no longer run (one host restarts often: ``xianfeng run``).

    Their counts leave the sums; Prometheus reads the drop as a counter reset, as after a restart.
    """
    removed = []
    for file in path.glob("*_*.db"):
        pid = file.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            file.unlink(missing_ok=True)
            removed.append(file)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def in_multiprocess_mode() -> bool:
    return _multiprocess_dir is not None


def serve_worker_metrics(path: Path, host: str, port: int) -> None:
    """A Celery worker has no web server: serve the counters of its processes on ``host:port``."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=str(path))
    start_http_server(port, addr=host, registry=registry)
    log.info("worker_metrics_listening", host=host, port=port)


@signals.worker_init.connect
def _worker_metrics(sender=None, **_kw) -> None:
    """A real worker process (never a test calling a task): files under the data dir, maybe a port."""
    conf = sender.app.conf if sender is not None else None
    path = conf.get("xianfeng_metrics_dir") if conf is not None else None
    if not path:
        return
    use_multiprocess(Path(path))
    if conf.get("xianfeng_metrics_port"):
        serve_worker_metrics(Path(path), conf.get("xianfeng_metrics_host", "127.0.0.1"),
                             int(conf["xianfeng_metrics_port"]))
