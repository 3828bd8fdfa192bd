"""``xianfeng run``: every piece as a child process, kept alive until Ctrl-C or SIGTERM.

A child that dies is logged and started again after a backoff (1 s, 2 s, 4 s … at most 30 s); one
that dies ``max_crashes`` times within ``window`` seconds stops the whole (something is wrong that a
restart does not fix).  Children come up tier by tier (the embedded broker first, answering, then
the rest) and stop in the reverse order.  Each child runs in its own session (a terminal's Ctrl-C
reaches the supervisor only, which stops the children in order) and asks the kernel to kill it when
the supervisor dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``xianfeng run`` leaves nothing behind.

Why not supervisor, circus or honcho: none of them sets ``PR_SET_PDEATHSIG`` (supervisord and
circus put children in their own process group or session, so a SIGKILLed daemon leaves every child
running, which is the very orphan problem); honcho stops everything when one process exits (what
``xianfeng run`` did before); supervisord backs off only processes that die within ``startsecs`` and
knows nothing of readiness; circus needs ZeroMQ and tornado and binds two TCP ports of its own
(5555, Flower's default, and 5556).  What we need is the loop below.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import structlog

log = structlog.get_logger(__name__)

PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):  # pragma: no cover - not Linux
    _prctl = None


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when the thread that started it ends (Linux)."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _dies_with(parent: int) -> Callable[[], None]:
    def preexec() -> None:  # runs in the child between fork and exec: keep it to these two calls
        die_with_parent()
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def spawn(argv: list[str], env: Mapping[str, str] | None = None, **popen: object) -> subprocess.Popen:
    """Start ``argv`` in a session of its own, killed by the kernel when this process dies."""
    return subprocess.Popen(argv, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                            preexec_fn=_dies_with(os.getpid()), **popen)


def http_ready(url: str) -> Callable[[], bool]:
    """A readiness check: ``url`` answers 200."""

    def check() -> bool:
        try:
            return httpx.get(url, timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    return check


@dataclass
class Child:
    name: str
    argv: list[str]
    ready: Callable[[], bool] | None = None  # up once this returns True (checked until it does)
    tier: int = 1  # lower tiers start first (and must be ready) and stop last
    before_start: Callable[[], None] | None = None  # e.g. remove a stale socket
    process: subprocess.Popen | None = field(default=None, repr=False)
    crashes: deque = field(default_factory=deque, repr=False)
    restart_at: float | None = None
    is_ready: bool = False
    starts: int = 0

    def start(self, env: Mapping[str, str]) -> None:
        if self.before_start is not None:
            self.before_start()
        self.process = spawn(self.argv, env)
        self.restart_at, self.is_ready = None, self.ready is None
        self.starts += 1

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def check_ready(self) -> bool:
        if not self.is_ready and self.alive and self.ready is not None:
            self.is_ready = self.ready()
        return self.is_ready

    def signal(self, sig: int) -> None:
        """TERM goes to the child itself (it stops its own pool); KILL to its whole process group."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if sig == signal.SIGKILL:
                os.killpg(self.process.pid, sig)
            elif self.alive:
                self.process.send_signal(sig)


def _exit_status(code: int) -> dict[str, object]:
    if code < 0:
        with contextlib.suppress(ValueError):
            return {"signal": signal.Signals(-code).name}
    return {"code": code}


class Supervisor:
    """Starts ``children``, restarts those that die, and stops them all on Ctrl-C, SIGTERM or a crash loop."""

    def __init__(self, children: list[Child], *, grace: float = 25.0, backoff: float = 1.0,
                 max_backoff: float = 30.0, max_crashes: int = 5, window: float = 60.0,
                 tier_timeout: float = 60.0, heartbeat: float = 60.0) -> None:
        self.children, self.grace = children, grace
        self.backoff, self.max_backoff = backoff, max_backoff
        self.max_crashes, self.window = max_crashes, window
        self.tier_timeout, self.heartbeat = tier_timeout, heartbeat
        self._stopping = self._hurry = False

    # ---- the loop ---------------------------------------------------------------------------
    def run(self, env: Mapping[str, str], on_ready: Callable[[], None] | None = None,
            *, handle_signals: bool = True) -> int:
        """Until stopped: 0 after Ctrl-C/SIGTERM (or :meth:`request_stop`), 1 when a child keeps crashing."""
        previous = {}
        if handle_signals:
            previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            return self._loop(dict(env), on_ready)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, env: dict[str, str], on_ready: Callable[[], None] | None) -> int:
        tiers = sorted({c.tier for c in self.children})
        started: list[Child] = []
        tier_since = last_beat = time.monotonic()
        announced = False
        while not self._stopping:
            now = time.monotonic()
            if tiers and all(c.check_ready() for c in started):
                tier = tiers.pop(0)
                for child in self._tier(tier):
                    child.start(env)
                    started.append(child)
                tier_since = now
            elif tiers and now - tier_since > self.tier_timeout:
                waiting = [c.name for c in started if not c.is_ready]
                log.error("children_not_ready", children=waiting, waited_s=round(now - tier_since))
                return 1
            if self._tend(started, env, now):
                return 1
            if not tiers and not announced and all(c.check_ready() for c in started):
                announced = True
                if on_ready is not None:
                    on_ready()
            if now - last_beat >= self.heartbeat:
                last_beat = now
                log.debug("heartbeat", children={c.name: c.pid for c in started},
                          restarts={c.name: c.starts - 1 for c in started if c.starts > 1})
            time.sleep(0.2)
        return 0

    def _tier(self, tier: int) -> list[Child]:
        return [c for c in self.children if c.tier == tier]

    def _tend(self, started: Iterable[Child], env: dict[str, str], now: float) -> bool:
        """Restart the dead whose backoff is over, schedule the newly dead; True when one keeps crashing."""
        for child in started:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start(env)
                    log.warning("child_restarted", child=child.name, pid=child.pid, restarts=child.starts - 1)
                continue
            if child.alive:
                continue
            status = _exit_status(child.process.returncode)
            child.signal(signal.SIGKILL)  # what is left of its process group (gunicorn or pool workers)
            child.crashes.append(now)
            while child.crashes and now - child.crashes[0] > self.window:
                child.crashes.popleft()
            if len(child.crashes) >= self.max_crashes:
                log.error("child_keeps_crashing", child=child.name, crashes=len(child.crashes),
                          window_s=self.window, **status)
                return True
            delay = min(self.max_backoff, self.backoff * 2 ** (len(child.crashes) - 1))
            log.error("child_exited", child=child.name, pid=child.pid, restart_in_s=delay, **status)
            child.restart_at = now + delay
        return False

    # ---- stopping ---------------------------------------------------------------------------
    def _on_signal(self, signum, _frame) -> None:
        if self._stopping:  # a second Ctrl-C: no more waiting
            self._hurry = True
        self._stopping = True

    def request_stop(self) -> None:
        self._stopping = True

    def stop(self) -> None:
        """Tier by tier from the last: SIGTERM (workers finish their task, web servers drain), then SIGKILL."""
        self._stopping = True
        for tier in sorted({c.tier for c in self.children}, reverse=True):
            group = [c for c in self._tier(tier) if c.process is not None]
            for child in reversed(group):
                child.signal(signal.SIGKILL if self._hurry else signal.SIGTERM)
            deadline = time.monotonic() + self.grace
            for child in group:
                while child.alive and time.monotonic() < deadline and not self._hurry:
                    time.sleep(0.05)
                if child.alive:
                    log.warning("child_killed", child=child.name)
                child.signal(signal.SIGKILL)  # the child if it still runs, and orphans of its group
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.process.wait(5)


def xianfeng_argv(*args: str) -> list[str]:
    """``xianfeng ARGS`` through the installed console script (beside this interpreter, as in a venv, or
    on PATH); never ``python -m shared.cli``, with which a ``shared/`` folder in the current directory
    would shadow the installed package."""
    beside = Path(sys.executable).with_name("xianfeng")
    script = str(beside) if beside.exists() else shutil.which("xianfeng")
    if script is None:
        raise RuntimeError("the xianfeng console script is not installed (pip install -e .)")
    return [script, *args]
