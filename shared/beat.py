"""One scheduler for all services: every entry is sent by task name to its owner's queue."""

from __future__ import annotations

from shared import celery as celery_setup
from shared.settings import Settings


def schedule(services: dict) -> dict:
    entries: dict = {}
    for svc in services.values():
        entries.update(svc.common_schedule())
        entries.update(svc.beat_schedule())
    return entries


def run_beat(settings: Settings, services: dict, verbose: bool = False) -> int:
    app = celery_setup.configure(celery_setup.make_celery("beat"), settings)
    app.conf.beat_schedule = schedule(services)
    path = settings.data_dir / "beat-schedule"
    quiet = [] if verbose else ["--quiet"]  # no banner
    app.start([*quiet, "beat", "-s", str(path), "-l", "INFO", "--pidfile="])
    return 0
