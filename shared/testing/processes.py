"""Real processes for end-to-end tests: an embedded broker per test, Celery workers as subprocesses.

Unit tests call task functions directly; anything that claims "a real worker did it" uses these:
the worker runs ``xianfeng worker SERVICE`` (the command ops runs) in its own process group, with
the test's databases and broker, and can be killed mid-task and restarted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from shared.embedded import EmbeddedBroker
from shared.settings import Settings


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; that value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout:.0f} s")
        time.sleep(interval)


def start_broker(settings: Settings) -> EmbeddedBroker | None:
    """The test's own embedded broker when its settings use one (the services backend uses Redis)."""
    if not settings.broker_is_embedded:
        return None
    broker = EmbeddedBroker(settings.data_dir, settings.embedded_broker_socket)
    broker.start()
    return broker


class WorkerProcess:
    """``xianfeng worker SERVICE`` as a subprocess; ready once it answers a control ping."""

    def __init__(self, service, environ: Mapping[str, str], log_dir: Path, concurrency: int = 1) -> None:
        self.service, self.environ, self.concurrency = service, dict(environ), concurrency
        self.log_path = log_dir / f"worker-{service.name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def node(self) -> str:
        return f"{self.service.name}@{os.uname().nodename}"

    def start(self, timeout: float = 60.0) -> WorkerProcess:
        self.starts += 1
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "worker", self.service.name, "--concurrency", str(self.concurrency)],
            env={**os.environ, **self.environ}, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        wait_for(self._answers, timeout, interval=0.3, what=f"{self.node} ready")
        return self

    def _answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"worker {self.service.name} exited; log:\n{self.log()[-4000:]}")
        try:
            replies = self.service.celery.control.ping(destination=[self.node], timeout=0.5)
        except self.service.celery.connection_for_write().connection_errors:
            return False  # a pooled connection the broker dropped when it restarted: the next try makes a new one
        return bool(replies)

    def pool_pids(self) -> list[int]:
        """The prefork children (they run the tasks)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def kill_pool(self) -> None:
        """SIGKILL the processes running tasks; the main process stays (WorkerLostError → requeue)."""
        for pid in self.pool_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool), as a crashed host would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM: warm shutdown (the running task finishes); then the group is killed if needed."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def restart(self) -> WorkerProcess:
        self.stop()
        return self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
