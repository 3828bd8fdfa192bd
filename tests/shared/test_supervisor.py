"""The supervisor on small real processes: restarts with backoff, gives up on a crash loop, starts tier by tier,
announces readiness once, and its children die with it; the preflight's refusals name who holds what."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shared import preflight
from shared.embedded import EmbeddedBroker
from shared.supervisor import Child, Supervisor
from shared.testing.processes import wait_for

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Running:
    """A supervisor looping in a thread (signals stay with pytest); ``result`` once it returns."""

    def __init__(self, supervisor: Supervisor, on_ready=None) -> None:
        self.supervisor, self.result = supervisor, None
        self.thread = threading.Thread(target=self._run, args=(on_ready,), daemon=True)
        self.thread.start()

    def _run(self, on_ready) -> None:
        self.result = self.supervisor.run(dict(os.environ), on_ready=on_ready, handle_signals=False)

    def stop(self) -> int | None:
        self.supervisor.request_stop()
        self.thread.join(30)
        return self.result


def test_a_child_that_dies_is_started_again_and_the_others_keep_running(caplog):
    steady, victim = Child("steady", SLEEPER), Child("victim", SLEEPER)
    running = Running(Supervisor([steady, victim], backoff=0.1, grace=5))
    try:
        wait_for(lambda: victim.alive and steady.alive, 10, what="both started")
        first, steady_pid = victim.pid, steady.pid
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: victim.alive and victim.pid != first, 10, what="victim started again")
        assert steady.pid == steady_pid and steady.alive and running.thread.is_alive()
    finally:
        assert running.stop() == 0
    assert not _alive(victim.pid) and not _alive(steady.pid)
    events = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert {"event": "child_exited", "child": "victim", "pid": first, "restart_in_s": 0.1,
            "signal": "SIGKILL"}.items() <= next(e for e in events if e["event"] == "child_exited").items()
    assert any(e["event"] == "child_restarted" and e["child"] == "victim" for e in events)


def test_a_child_that_keeps_crashing_stops_the_whole_after_backing_off(caplog):
    steady = Child("steady", SLEEPER)
    crasher = Child("crasher", [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = Supervisor([steady, crasher], backoff=0.05, max_crashes=4, window=60, grace=5)
    running = Running(supervisor)
    running.thread.join(60)
    assert running.result == 1
    assert crasher.starts == 4 and not _alive(steady.pid)
    events = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    delays = [e["restart_in_s"] for e in events if e.get("event") == "child_exited"]
    assert delays == [0.05, 0.1, 0.2]  # doubling each time
    assert next(e for e in events if e.get("event") == "child_keeps_crashing")["code"] == 3


def test_tiers_start_in_order_and_ready_is_announced_once_when_everything_answers(tmp_path):
    flag, announced = tmp_path / "broker-up", []
    broker = Child("broker", [sys.executable, "-c", f"import pathlib, time; time.sleep(1); "
                                                    f"pathlib.Path({str(flag)!r}).touch(); time.sleep(120)"],
                   ready=flag.exists, tier=0)
    web = Child("web", SLEEPER, ready=lambda: True)
    running = Running(Supervisor([broker, web], grace=5), on_ready=lambda: announced.append(web.pid))
    try:
        wait_for(lambda: broker.alive, 10, what="broker started")
        assert web.process is None  # waits for the broker to answer
        wait_for(lambda: announced, 20, what="ready announced")
        assert announced == [web.pid] and flag.exists()
        os.kill(web.pid, signal.SIGKILL)
        wait_for(lambda: web.starts == 2 and web.alive, 10, what="web started again")
    finally:
        running.stop()
    assert len(announced) == 1


def test_a_heartbeat_at_debug_names_the_children_and_their_restarts(caplog):
    caplog.set_level(logging.DEBUG)
    child = Child("steady", SLEEPER)
    running = Running(Supervisor([child], heartbeat=0.3, grace=5))
    try:
        wait_for(lambda: any(isinstance(r.msg, dict) and r.msg.get("event") == "heartbeat" for r in caplog.records),
                 10, what="a heartbeat")
    finally:
        running.stop()
    beat = next(r for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "heartbeat")
    assert beat.levelno == logging.DEBUG and beat.msg["children"] == {"steady": child.pid}


def test_children_die_with_their_parent_even_on_sigkill(tmp_path):
    """A parent that starts a process with ``spawn`` and is SIGKILLed: the kernel kills the child too."""
    script = ("import sys, time; from shared.supervisor import spawn; "
              "child = spawn(['sleep', '120']); print(child.pid, flush=True); time.sleep(120)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait(10)
    wait_for(lambda: not _alive(child), 10, what="the child gone with its parent")


def test_a_second_lock_on_a_data_dir_is_refused_naming_the_holder(tmp_path):
    held = preflight.DataDirLock(tmp_path).acquire()
    try:
        with pytest.raises(preflight.Refused) as refused:
            preflight.DataDirLock(tmp_path).acquire()
        assert f"the data dir {tmp_path} is in use by another xianfeng run (pid {os.getpid()} (" in str(refused.value)
    finally:
        held.release()
    preflight.DataDirLock(tmp_path).acquire().release()  # free again once released


def test_ports_held_or_configured_twice_are_refused():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(preflight.Refused, match=rf"port {port} \(notify\) .* in use by pid {os.getpid()} "):
            preflight.check_ports("127.0.0.1", {"notify": port})
    with pytest.raises(preflight.Refused, match="survey and pledge are both configured on port"):
        preflight.check_ports("127.0.0.1", {"pledge": port, "survey": port})
    preflight.check_ports("127.0.0.1", {"pledge": port})  # closed again: free


def test_a_broker_left_answering_on_the_socket_is_refused_naming_its_pid(tmp_path):
    socket_path = tmp_path / "redis.sock"
    preflight.check_broker_socket(socket_path)  # nothing there
    socket_path.write_text("")  # a stale file of a dead server is no obstacle
    preflight.check_broker_socket(socket_path)
    broker = EmbeddedBroker(tmp_path, socket_path)
    broker.start()
    try:
        with pytest.raises(preflight.Refused, match=rf"already answers .* \(pid {broker.process.pid} \("):
            preflight.check_broker_socket(socket_path)
    finally:
        broker.stop()
