"""``xianfeng run``: every piece as a child process, stopped together on Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.argv, env=env, start_new_session=True, stdin=subprocess.DEVNULL)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int) -> None:
        """TERM goes to the child itself (it stops its own pool); KILL to its whole process group."""
        if self.process is None:
            return
        try:
            if sig == signal.SIGKILL:
                os.killpg(self.process.pid, sig)
            elif self.alive:
                self.process.send_signal(sig)
        except ProcessLookupError:
            pass


class Supervisor:
    def __init__(self, children: list[Child], grace: float = 25.0) -> None:
        self.children, self.grace = children, grace
        self._stopping = False

    def run(self, env: dict[str, str], on_started=None) -> int:
        previous = {s: signal.signal(s, self._request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in self.children:
                child.start(env)
            if on_started:
                on_started()
            code = 0
            while not self._stopping:
                dead = [c for c in self.children if not c.alive]
                if dead:
                    for c in dead:
                        log.error("child_exited", child=c.name, code=c.process.returncode)
                    code = 1
                    break
                time.sleep(0.2)
            return code
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _request_stop(self, signum, _frame) -> None:
        self._stopping = True

    def stop(self) -> None:
        """SIGTERM every child (workers finish their task, web servers drain), then SIGKILL stragglers."""
        for child in reversed(self.children):
            child.signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("child_killed", child=child.name)
                child.signal(signal.SIGKILL)
                child.process.wait(5)
            child.signal(signal.SIGKILL)  # orphans of the group, if any, go too


def xianfeng_argv(*args: str) -> list[str]:
    """``xianfeng ARGS`` through the installed console script (beside this interpreter, as in a venv, or
    on PATH); never ``python -m shared.cli``, with which a ``shared/`` folder in the current directory
    would shadow the installed package."""
    beside = Path(sys.executable).with_name("xianfeng")
    script = str(beside) if beside.exists() else shutil.which("xianfeng")
    if script is None:
        raise RuntimeError("the xianfeng console script is not installed (pip install -e .)")
    return [script, *args]
