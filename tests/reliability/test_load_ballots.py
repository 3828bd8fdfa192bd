"""A burst of 1,000 ballot submissions over 50 concurrent clients against a real ``xianfeng serve survey``
(gunicorn, its own port) (issue 8, #10): all 201, the answers stored equal the answers sent, no 5xx.

The group: 20 branches of 10 party members and 40 employees under one unit committee (1,000 raters,
one ballot each).  The per-address ballot limit is raised for the run: 50 clients on one loopback
address stand for 50 phones.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from shared.db import utcnow
from shared.directory import apply
from shared.messages import DirectoryChanged
from shared.testing.factories import branch_group
from shared.testing.processes import wait_for

CLIENTS = 50
BRANCHES, MEMBERS, EMPLOYEES = 20, 10, 40
XIANFENG = str(Path(sys.executable).with_name("xianfeng"))


def group() -> DirectoryChanged:
    return branch_group(BRANCHES, MEMBERS, EMPLOYEES)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def survey_server(test_environ, tmp_path):
    """``xianfeng serve survey`` on a free port with the test's databases; its base URL."""
    port = free_port()
    log = (tmp_path / "survey-web.log").open("ab")
    env = {**os.environ, **test_environ, "XIANFENG_SURVEY_BALLOT_RATE_LIMIT": "100000/minute"}
    proc = subprocess.Popen([XIANFENG, "serve", "survey", "--port", str(port), "--workers", "2"], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(base + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return proc.poll() is not None and pytest.fail((tmp_path / "survey-web.log").read_text()[-2000:])

    wait_for(up, 60, what="xianfeng serve survey")
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def open_round(survey, sent, auth_headers) -> list[str]:
    with survey.db.session() as s:
        from services.survey.models import directory

        apply(s, directory, group())
    client = survey.create_app(survey.runtime.settings).test_client()
    admin = auth_headers("admin")
    body = {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": 2,
            "closes_at": (utcnow() + timedelta(hours=48)).isoformat(), "settings": {}}
    round_id = client.post("/api/v1/rounds", json=body, headers=admin).get_json()["id"]
    opened = client.post(f"/api/v1/rounds/{round_id}/open", headers=admin).get_json()
    tokens = [item["link"].rsplit("/b/", 1)[1] for p in sent.of("notify.send") if p["category"] == "survey_invite"
              for item in p["items"]]
    assert opened["ballots"] == len(tokens) == BRANCHES * (MEMBERS + EMPLOYEES)
    return tokens


class _Failed:
    """A request that got no HTTP answer: counted under the transport error's name (never a lost thread)."""

    def __init__(self, exc: Exception) -> None:
        self.status_code = type(exc).__name__


def _send(http: httpx.Client, method: str, url: str, **kwargs):
    try:
        return http.request(method, url, **kwargs)
    except httpx.TransportError as exc:
        return _Failed(exc)


def submit_all(base: str, tokens: list[str]) -> tuple[Counter, int, list[float]]:
    """Each client fetches and submits its share of ballots; statuses, answers sent, submit latencies."""
    statuses: Counter = Counter()
    sent_answers, latencies, lock = [0], [], threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def client(share: list[str]) -> None:
        mine, n, times = Counter(), 0, []
        with httpx.Client(base_url=base, timeout=60) as http:
            ballots = []
            for token in share:
                r = _send(http, "GET", f"/api/v1/ballots/{token}")
                mine[("GET", r.status_code)] += 1
                ballots.append((token, r.json() if r.status_code == 200 else None))
            barrier.wait()  # the burst: every client submits at once
            for token, ballot in ballots:
                rng = random.Random(token)
                answers = [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
                            "score": rng.randint(1, 5)} for t in (ballot or {"targets": []})["targets"]
                           for d in t["dimensions"]]
                start = time.perf_counter()
                r = _send(http, "POST", f"/api/v1/ballots/{token}", json={"answers": answers})
                times.append(time.perf_counter() - start)
                mine[("POST", r.status_code)] += 1
                n += len(answers) if r.status_code == 201 else 0
        with lock:
            statuses.update(mine)
            sent_answers[0] += n
            latencies.extend(times)

    pool = [threading.Thread(target=client, args=(tokens[i::CLIENTS],)) for i in range(CLIENTS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return statuses, sent_answers[0], latencies


def test_a_burst_of_1000_submissions_over_50_clients_is_all_accepted(survey, sent, auth_headers, survey_server):
    from services.survey.models import Ballot, PooledAnswers

    tokens = open_round(survey, sent, auth_headers)
    statuses, answers_sent, latencies = submit_all(survey_server, tokens)
    latencies.sort()
    print(f"\n{len(tokens)} ballots over {CLIENTS} clients: {dict(statuses)}; submit p50 "
          f"{latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms")
    assert statuses == Counter({("GET", 200): len(tokens), ("POST", 201): len(tokens)})
    with survey.db.session() as s:
        pooled = s.scalars(select(PooledAnswers.answers)).all()  # each submission's set, awaiting its batch
        assert len(pooled) == len(tokens) and sum(map(len, pooled)) == answers_sent
        assert s.scalar(select(func.count()).select_from(Ballot).where(Ballot.used.is_(True))) == len(tokens)
