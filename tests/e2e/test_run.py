"""``xianfeng run`` as a user starts it: three services, workers, beat, an embedded broker; Ctrl-C stops all."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from shared import auth
from shared.settings import DEFAULT_SECRET
from shared.testing.databases import BACKEND, environ_for_test, on_postgres
from shared.testing.processes import wait_for

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_using(marker: str) -> list[int]:
    """Live processes whose environment or command line mentions ``marker`` (our data dir)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            blob = (proc / "environ").read_bytes() + (proc / "cmdline").read_bytes()
            state = (proc / "stat").read_text().split()[2]
        except OSError:
            continue
        if marker.encode() in blob and state != "Z":
            found.append(int(proc.name))
    return found


def test_run_starts_everything_carries_a_message_and_stops_cleanly(tmp_path, test_databases):
    data_dir = tmp_path / "xf-run"
    ports = {name: free_port() for name in ("pledge", "survey", "notify")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_")}
    env.update({"XIANFENG_DATA_DIR": str(data_dir), "XIANFENG_LOG_JSON": "true", "XIANFENG_WEB_WORKERS": "1",
                "XIANFENG_WORKER_CONCURRENCY": "1"})
    env.update({f"XIANFENG_{n.upper()}_PORT": str(p) for n, p in ports.items()})
    if on_postgres(BACKEND):  # the same walk on PostgreSQL + Redis or RabbitMQ: fresh databases, a private prefix
        env.update(environ_for_test(data_dir, test_databases.fresh(tmp_path)))
        env.pop("XIANFENG_ENV")
    log = (tmp_path / "run.log").open("wb")
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "shared.cli", "run"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        urls = {n: f"http://127.0.0.1:{p}" for n, p in ports.items()}

        def all_ready() -> bool:
            assert proc.poll() is None, (tmp_path / "run.log").read_text()[-4000:]
            try:
                return all(httpx.get(u + "/readyz", timeout=2).status_code == 200 for u in urls.values())
            except httpx.HTTPError:
                return False

        wait_for(all_ready, 60, interval=0.5, what="three /readyz 200")
        ready_after = time.monotonic() - started
        print(f"all three ready after {ready_after:.1f} s")
        headers = {"Authorization": "Bearer " + auth.mint(env.get("XIANFENG_SECRET_KEY", DEFAULT_SECRET),
                                                            roles=["admin"])}
        resp = httpx.post(urls["pledge"] + "/api/v1/orgs", headers=headers, timeout=10,
                          json={"name": "集团党委", "code": "HG", "kind": "committee"})
        assert resp.status_code == 201, resp.text
        for name in ("survey", "notify"):
            wait_for(lambda n=name: httpx.get(urls[n] + "/api/v1/directory/status", headers=headers,
                                              timeout=5).json().get("orgs") == 1,
                     30, interval=0.3, what=f"org in {name}'s directory")
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = proc.wait(60)
        log.close()
    assert code == 0, (tmp_path / "run.log").read_text()[-4000:]
    wait_for(lambda: not processes_using(str(data_dir)), 10, what="no process left behind")
