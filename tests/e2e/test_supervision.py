"""``xianfeng run`` looks after what it starts: killed pieces come back, ``kill -9`` of the run leaves nothing,
a second run on the same data dir or ports is refused with a message naming who holds them, and idle it is quiet."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time

import httpx
import psutil
import pytest

from e2e.helpers import admin_headers, ports_of, urls_of
from shared.testing.processes import READY_PREFIX, RunProcess, processes_using, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.process_tree]


def _events(run: RunProcess) -> list[dict]:
    return [json.loads(line) for line in run.lines() if line.startswith("{")]


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _gone(processes: list[psutil.Process]) -> bool:
    """Each is dead or a zombie (a pid the kernel has given to some new process since counts as dead)."""

    def dead(process: psutil.Process) -> bool:
        try:
            return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    return all(dead(p) for p in processes)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/readyz", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_worker_and_a_killed_web_process_come_back_and_work_finishes(run_environ, tmp_path):
    env = run_environ(tmp_path / "data")
    urls = urls_of(env)
    run = RunProcess(env, tmp_path / "run.log").start()
    try:
        run.wait_ready()
        worker, web = run.child("worker", "survey"), run.child("serve", "pledge")
        assert worker and web, run.log()[-3000:]
        their_children = _descendants(worker) + _descendants(web)  # the pool process, the gunicorn worker
        assert their_children
        os.kill(worker, signal.SIGKILL)
        os.kill(web, signal.SIGKILL)

        new_worker = wait_for(lambda: (pid := run.child("worker", "survey")) not in (None, worker) and pid, 60,
                              interval=0.3, what="survey's worker started again")
        new_web = wait_for(lambda: (pid := run.child("serve", "pledge")) not in (None, web) and pid, 60,
                           interval=0.3, what="pledge's web process started again")
        wait_for(lambda: _answers(urls["pledge"]), 60, interval=0.5, what="pledge /readyz 200 again")
        wait_for(lambda: _gone(their_children), 15, what="the killed pieces' own children gone")
        assert run.process.poll() is None

        # work done by the new pieces: an org created through the new web process reaches survey's directory
        # through the new worker
        headers = admin_headers(env)
        created = httpx.post(urls["pledge"] + "/api/v1/orgs", headers=headers, timeout=10,
                             json={"name": "集团党委", "code": "HG", "kind": "committee"})
        assert created.status_code == 201, created.text
        wait_for(lambda: httpx.get(urls["survey"] + "/api/v1/directory/status", headers=headers,
                                   timeout=5).json().get("orgs") == 1,
                 60, interval=0.5, what="the org in survey's directory")
        assert run.child("worker", "survey") == new_worker and run.child("serve", "pledge") == new_web
    finally:
        code = run.stop()
    events = _events(run)
    exited = {e["child"]: e for e in events if e.get("event") == "child_exited"}
    restarted = {e["child"] for e in events if e.get("event") == "child_restarted"}
    assert exited["survey-worker"]["signal"] == "SIGKILL" and exited["pledge-web"]["signal"] == "SIGKILL"
    assert {"survey-worker", "pledge-web"} <= restarted
    assert sum(line.startswith(READY_PREFIX) for line in run.lines()) == 1  # a restart is not a new start
    assert code == 0, run.log()[-3000:]
    wait_for(lambda: not processes_using(env["XIANFENG_DATA_DIR"]), 15, what="no process left behind")


def _refusal(env: dict[str, str], log) -> tuple[int, str]:
    run = RunProcess(env, log).start()
    try:
        code = run.process.wait(60)
    except subprocess.TimeoutExpired:
        run.stop()
        raise
    return code, run.log()


def test_kill_9_of_run_leaves_nothing_and_the_next_run_starts_and_holds_its_data_dir_and_ports(
        run_environ, tmp_path):
    data_dir = tmp_path / "data"
    env = run_environ(data_dir)
    first = RunProcess(env, tmp_path / "first.log").start()
    first.wait_ready()
    descendants = _descendants(first.pid)
    assert len(descendants) >= 7  # web, worker (and their own children), beat, maybe the broker
    first.kill()
    wait_for(lambda: not processes_using(str(data_dir)) and _gone(descendants), 15,
             what="no process of the killed run left")

    second = RunProcess(env, tmp_path / "second.log").start()
    try:
        second.wait_ready()
        assert "Address already in use" not in second.log()
        assert all(_answers(url) for url in urls_of(env).values())

        # another run on the same data dir (other ports): refused, naming the data dir and the holder
        code, said = _refusal(run_environ(data_dir), tmp_path / "same-dir.log")
        assert code == 2, said
        assert f"the data dir {data_dir} is in use by another xianfeng run (pid {second.pid}" in said
        assert READY_PREFIX not in said and "starting" not in said

        # another run on the same ports (another data dir): refused, naming the port and the process on it
        code, said = _refusal(run_environ(tmp_path / "other", ports_of(env)), tmp_path / "same-ports.log")
        assert code == 2, said
        port = ports_of(env)["pledge"]
        holder = next(c.pid for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port
                      and c.status == psutil.CONN_LISTEN)
        assert f"port {port} (pledge) on 127.0.0.1 is already in use by pid {holder} (" in said, said
        assert "serve pledge" in said
    finally:
        code = second.stop()
    assert code == 0, second.log()[-3000:]
    wait_for(lambda: not processes_using(str(data_dir)), 15, what="no process left behind")


def test_a_port_held_by_a_plain_socket_is_refused_before_anything_starts(run_environ, tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = run_environ(tmp_path / "data", {"survey": port})
        code, said = _refusal(env, tmp_path / "run.log")
    assert code == 2, said
    assert f"port {port} (survey) on 127.0.0.1 is already in use by pid {os.getpid()} (" in said
    assert "XIANFENG_SURVEY_PORT" in said
    assert not processes_using(str(tmp_path / "data"))


def test_an_idle_run_prints_its_start_in_a_few_lines_and_then_nothing(run_environ, tmp_path):
    """Before: ~210 lines at start (alembic plugins, three Celery banners) and ~90 a minute idle."""
    env = run_environ(tmp_path / "data")
    run = RunProcess(env, tmp_path / "run.log").start()
    try:
        run.wait_ready()
        started = run.lines()
        time.sleep(20)  # idle: the beat sends relay_outbox every 10 s to three queues, notify.sweep …
        idle = run.lines()[len(started):]
    finally:
        run.stop()
    ready = [i for i, line in enumerate(started) if line.startswith(READY_PREFIX)]
    assert len(ready) == 1
    assert not any("http://127.0.0.1:" in line for line in started[:ready[0]])  # no URL before ready
    assert not [line for line in started if "alembic" in line or "celery@" in line or "[tasks]" in line
                or "-------------- " in line]
    assert len(started) <= 12, started  # the starting line, the ready line, maybe a warning per process
    assert len(idle) <= 3, idle
