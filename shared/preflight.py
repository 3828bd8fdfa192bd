"""What ``xianfeng run`` checks before it starts anything: the data dir, the broker socket, the ports.

Each refusal names what is held and who holds it, so that a second run (or an older one's leftovers)
is a one-line message instead of children failing on "Address already in use".
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import psutil
import redis

LOCK_NAME = "run.lock"


class Refused(RuntimeError):
    """``xianfeng run`` must not start: something it needs is in use."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"refusing to start: {reason}")


def describe(pid: int | None) -> str:
    """``pid 123 (xianfeng run)``: the process as ps would show it, or what is known of it."""
    if pid is None:
        return "a process of another user (run as root to see which)"
    try:
        command = " ".join(psutil.Process(pid).cmdline()) or psutil.Process(pid).name()
    except psutil.Error:
        return f"pid {pid}"
    return f"pid {pid} ({command[:160]})"


class DataDirLock:
    """An exclusive ``flock`` on ``<data dir>/run.lock`` for as long as this run lives (the kernel drops it
    when the process dies, however it dies); the file holds the pid of the holder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> DataDirLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            pid = int(holder) if holder.isdigit() else None
            raise Refused(
                f"the data dir {self.path.parent} is in use by another xianfeng run "
                f"({describe(pid) if pid else 'pid unknown'}): stop that one first, or give this one its own "
                f"XIANFENG_DATA_DIR"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        """Unlock (the file stays: removing it would let two runs lock two different files)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def check_broker_socket(socket_path: Path) -> None:
    """Nobody may answer on our embedded broker's socket yet: that would be a server left by an older run."""
    if not socket_path.exists():
        return
    try:
        info = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).info("server")
    except (redis.RedisError, OSError):
        return  # a stale socket file: the broker removes it before it starts
    raise Refused(
        f"a Redis server already answers on the embedded broker's socket {socket_path} "
        f"({describe(info.get('process_id'))}), left running by an earlier run: stop it first"
    )


def port_holder(port: int) -> int | None:
    """The pid listening on TCP ``port`` (any address), if this user may see it."""
    with contextlib.suppress(psutil.Error):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return conn.pid
    return None


def check_ports(host: str, ports: Mapping[str, int]) -> None:
    """Each port must be free on ``host`` (bound as gunicorn binds it, ``SO_REUSEADDR``), and distinct."""
    seen: dict[int, str] = {}
    for name, port in ports.items():
        if port in seen:
            raise Refused(f"{name} and {seen[port]} are both configured on port {port}: give each its own "
                          f"XIANFENG_<SERVICE>_PORT")
        seen[port] = name
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise Refused(
                        f"port {port} ({name}) on {host} is already in use by {describe(port_holder(port))}: "
                        f"stop it, or set XIANFENG_{name.upper()}_PORT to a free port"
                    ) from None
                raise Refused(f"port {port} ({name}) on {host} cannot be bound: {exc.strerror}") from None
