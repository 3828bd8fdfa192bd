"""Real processes for end-to-end tests: an embedded broker per test, Celery workers as subprocesses.

Unit tests call task functions directly; anything that claims "a real worker did it" uses these:
the worker runs ``xianfeng worker SERVICE`` (the command ops runs) in its own process group, with
the test's databases and broker, and can be killed mid-task and restarted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from shared.embedded import EmbeddedBroker
from shared.settings import Settings
from shared.supervisor import xianfeng_argv


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

    def __init__(self, service, environ: Mapping[str, str], log_dir: Path, concurrency: int = 1,
                 verbose: bool = False) -> None:
        """``verbose``: the worker logs Celery's own per-task lines too ("Task … received")."""
        self.service, self.environ, self.concurrency = service, dict(environ), concurrency
        self.verbose = verbose
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
            xianfeng_argv("worker", self.service.name, "--concurrency", str(self.concurrency),
                          *(["--verbose"] if self.verbose else [])),
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

    def runs(self, task_id: str, state: str = "SUCCESS") -> int:
        """How many times the worker logged ``task_done`` for ``task_id`` in ``state`` (one JSON line per run)."""
        count = 0
        for line in self.log().splitlines():
            if line.startswith("{") and f'"{task_id}"' in line:
                event = json.loads(line)
                count += event.get("event") == "task_done" and event.get("task_id") == task_id \
                    and event.get("state") == state
        return count


def processes_using(marker: str) -> list[int]:
    """Live processes (not this one) whose environment or command line mentions ``marker`` (a data dir)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            blob = (proc / "environ").read_bytes() + (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in blob and state != "Z":
            found.append(int(proc.name))
    return found


READY_PREFIX = "xianfeng is ready:"


class RunProcess:
    """``xianfeng run`` as a user starts it (the console script, its own session), its output in a file."""

    def __init__(self, environ: Mapping[str, str], log_path: Path, *args: str) -> None:
        self.environ, self.log_path, self.args = dict(environ), log_path, args
        self.process: subprocess.Popen | None = None

    def start(self) -> RunProcess:
        from shared.supervisor import xianfeng_argv

        with self.log_path.open("ab") as out:
            self.process = subprocess.Popen(xianfeng_argv(*self.args, "run"), env=self.environ, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def lines(self) -> list[str]:
        return self.log().splitlines()

    def wait_ready(self, timeout: float = 120.0) -> str:
        """The ready line, once printed; the log's tail in the error if the run exits first."""

        def ready() -> str | None:
            if self.process.poll() is not None:
                raise RuntimeError(f"xianfeng run exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            return next((line for line in self.lines() if line.startswith(READY_PREFIX)), None)

        return wait_for(ready, timeout, interval=0.3, what="xianfeng run's ready line")

    def child(self, *words: str) -> int | None:
        """The pid of the direct child whose command line holds ``words`` in order (e.g. "worker", "survey")."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        for pid in (int(p) for p in children.read_text().split()) if children.exists() else ():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            joined = " " + " ".join(argv) + " "
            if f" {' '.join(words)} " in joined:
                return pid
        return None

    def stop(self, timeout: float = 90.0) -> int:
        """Ctrl-C, as in the terminal; its exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL ``xianfeng run`` alone (not its children: they must go by themselves)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
