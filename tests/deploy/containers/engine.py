"""podman from the tests: each piece of xianfeng started as its own container, as an orchestrator would.

Every container of a test run carries the run's label, so that the run can list, stop and remove
what it started, and prove that nothing is left.  podman 4.3 without systemd prints an error line
about healthcheck timers on every start of an image with a HEALTHCHECK; the check itself works
(``podman healthcheck run``), so that line is dropped from what the tests report.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PODMAN = shutil.which("podman") or "podman"
LABEL = "xianfeng.test-run"
NOISE = re.compile(r'^time="[^"]*" level=error msg="unable to get systemd connection[^\n]*\n?', re.MULTILINE)


class EngineError(RuntimeError):
    """podman answered with an error."""


def podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([PODMAN, *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    done.stderr = NOISE.sub("", done.stderr)
    if check and done.returncode != 0:
        raise EngineError(f"podman {' '.join(args[:3])} … exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def run_script(args: Sequence[str], environ: Mapping[str, str] | None = None, timeout: float = 900) -> str:
    """A script of deploy/ (stderr included in the answer); fails with its output."""
    done = subprocess.run(list(args), cwd=ROOT, env=None if environ is None else dict(environ), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    out = done.stdout + NOISE.sub("", done.stderr)
    if done.returncode != 0:
        raise EngineError(f"{' '.join(args)} exited {done.returncode}:\n{out[-4000:]}")
    return out


@dataclass
class Container:
    name: str

    def inspect(self) -> dict:
        return json.loads(podman("inspect", self.name).stdout)[0]

    def state(self) -> dict:
        return self.inspect()["State"]

    def running(self) -> bool:
        return self.state()["Running"]

    def logs(self) -> str:
        done = podman("logs", self.name, check=False)
        return done.stdout + NOISE.sub("", done.stderr)

    def wait(self, timeout: float = 120) -> int:
        """The exit code, once the container has stopped."""
        return int(podman("wait", self.name, timeout=timeout).stdout.strip().splitlines()[-1])

    def healthcheck(self) -> int:
        """The image's HEALTHCHECK, run now (podman without systemd runs it only when asked)."""
        return podman("healthcheck", "run", self.name, check=False, timeout=30).returncode

    def kill(self) -> None:
        """SIGKILL to every process of the container: a crashed node, an OOM kill."""
        podman("kill", "--signal", "KILL", self.name)


@dataclass
class Engine:
    """The containers of one test run (label ``xianfeng.test-run=<run>``)."""

    run: str
    started: list[Container] = field(default_factory=list)

    def start(self, name: str, image: str, command: Sequence[str], environ: Mapping[str, str],
              read_only: bool = True) -> Container:
        """``podman run -d`` of one piece: host network, an init process, read-only root filesystem with
        tmpfs for /tmp and the data dir, no new privileges, configured by ``environ`` alone."""
        args = ["run", "--detach", "--name", name, "--hostname", name, "--label", f"{LABEL}={self.run}",
                "--network", "host", "--init", "--security-opt", "no-new-privileges",
                "--stop-timeout", "30"]
        if read_only:
            args += ["--read-only", "--tmpfs", "/tmp", "--tmpfs", "/var/lib/xianfeng"]
        for key, value in environ.items():
            args += ["--env", f"{key}={value}"]
        podman(*args, image, *command, timeout=60)
        container = Container(name)
        self.started.append(container)
        return container

    def names(self) -> list[str]:
        """Every container of the run that podman knows, running or not."""
        out = podman("ps", "--all", "--filter", f"label={LABEL}={self.run}", "--format", "{{.Names}}").stdout
        return out.split()

    def stop_all(self, timeout: int = 30) -> float:
        """SIGTERM to every container at once (warm shutdown), SIGKILL after ``timeout``; seconds taken."""
        started = time.monotonic()
        names = self.names()
        if names:
            podman("stop", "--time", str(timeout), *names, timeout=timeout + 60, check=False)
        return time.monotonic() - started

    def remove_all(self) -> None:
        names = self.names()
        if names:
            podman("rm", "--force", "--volumes", *names, timeout=120, check=False)
