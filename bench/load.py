"""Reads under background work (issue 8, #11).

Pledge and survey each run under gunicorn (2 gthread workers, as in bench/survey.py) with a real
worker apiece.  Four client threads read (org list, people list, a round, its progress) for a few
seconds while nothing runs: the idle p99, the baseline.  Then a real pledge worker imports a people
CSV (10^5 rows; quick: 10^4) and a real survey worker aggregates a closed round (1,000 ballots
answered; quick: 200) while the same readers go on: the busy p99.
Goal: busy p99 <= 500 ms and <= 5x the idle p99.
"""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta

import httpx

from bench import Context, Figure, percentiles
from bench.survey import _free_port, _serve, _stop
from shared import auth
from shared.db import utcnow
from shared.directory import apply
from shared.service import discover
from shared.settings import load
from shared.testing.databases import ServiceDatabases, environ_for_test
from shared.testing.factories import branch_group
from shared.testing.fakes import RecordingSender
from shared.testing.processes import WorkerProcess, start_broker, wait_for

BRANCHES, PER_BRANCH, MEMBERS = 20, 50, 10
GOAL_MS, GOAL_RATIO = 500.0, 5.0


def _answered_round(survey, headers: dict, ballots: int) -> int:
    """A three-way round opened with a recording sender (for its tokens) and ``ballots`` ballots answered."""
    from services.survey.models import directory

    sent = RecordingSender()
    survey.start(survey.runtime.settings, sender=sent)
    with survey.db.session() as s:
        apply(s, directory, branch_group(BRANCHES, MEMBERS, PER_BRANCH - MEMBERS))
    client = survey.create_app(survey.runtime.settings).test_client()
    body = {"kind": "three_way", "title": "压测", "root_org_id": 2,
            "closes_at": (utcnow() + timedelta(hours=48)).isoformat(), "settings": {}}
    round_id = client.post("/api/v1/rounds", json=body, headers=headers).get_json()["id"]
    client.post(f"/api/v1/rounds/{round_id}/open", headers=headers)
    tokens = [item["link"].rsplit("/b/", 1)[1] for p in sent.of("notify.send") for item in p["items"]]
    for token in tokens[:ballots]:
        targets = client.get(f"/api/v1/ballots/{token}").get_json()["targets"]
        client.post(f"/api/v1/ballots/{token}", json={"answers": [
            {"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d, "score": 3 + len(d) % 3}
            for t in targets for d in t["dimensions"]]})
    return round_id


class _Readers:
    def __init__(self, urls: list[str], headers: dict, threads: int = 4) -> None:
        self.urls, self.headers, self.samples, self.errors = urls, headers, [], 0
        self.halt = threading.Event()
        self.pool = [threading.Thread(target=self._loop, args=(i,)) for i in range(threads)]
        for t in self.pool:
            t.start()

    def _loop(self, offset: int) -> None:
        with httpx.Client(timeout=30, headers=self.headers) as http:
            for n in range(offset, 10**9):
                if self.halt.is_set():
                    return
                began = time.perf_counter()
                try:
                    ok = http.get(self.urls[n % len(self.urls)]).status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.samples.append(time.perf_counter() - began)
                self.errors += not ok

    def finish(self) -> _Readers:
        self.halt.set()
        for t in self.pool:
            t.join()
        return self


def _people_csv(n: int) -> bytes:
    return ("employee_no,name,org_code\n" + "".join(f"N{i:07d},新员工{i},B{i % BRANCHES}\n" for i in range(n))).encode()


def run(ctx: Context) -> list[Figure]:
    services = discover()
    dbs = ServiceDatabases(ctx.workdir / "templates", services, backend=ctx.backend)
    dbs.setup()
    env = {**environ_for_test(ctx.workdir, dbs.fresh(ctx.workdir), backend=ctx.backend),
           "XIANFENG_SURVEY_RATE_LIMIT_ENABLED": "false"}
    settings = load(env)
    broker = start_broker(settings)
    headers = {"Authorization": "Bearer " + auth.mint(settings.secret_key, roles=["admin"], sub="bench")}
    pledge, survey = services["pledge"], services["survey"]
    survey.start(settings, sender=None)
    round_id = _answered_round(survey, headers, ctx.size(1000, 200))
    survey.start(settings, sender=None)
    pledge.start(settings, sender=None)
    pledge_client = pledge.create_app(settings).test_client()
    for b in range(BRANCHES):
        pledge_client.post("/api/v1/orgs", json={"code": f"B{b}", "name": f"第{b}支部", "kind": "branch"},
                           headers=headers)
    started = [WorkerProcess(services[n], env, ctx.workdir).start() for n in ("pledge", "survey")]
    servers = []
    for name in ("pledge", "survey"):
        port = _free_port()
        servers.append((_serve(f"services.{name}:create_app", port, env, ctx.workdir / f"{name}-web.log"),
                        f"http://127.0.0.1:{port}"))
    try:
        return _measure(ctx, [b for _, b in servers], pledge_client, survey, round_id, headers)
    finally:
        for proc, _ in servers:
            _stop(proc)
        for worker in started:
            worker.stop(timeout=15)
        if broker is not None:
            broker.stop()
        for svc in (pledge, survey):
            svc.runtime.db.dispose()
        dbs.teardown()


def _measure(ctx: Context, bases: list[str], pledge_client, survey, round_id: int, headers: dict) -> list[Figure]:
    pledge_base, survey_base = bases
    urls = [f"{pledge_base}/api/v1/orgs?page_size=50", f"{pledge_base}/api/v1/people?page_size=50",
            f"{survey_base}/api/v1/rounds/{round_id}", f"{survey_base}/api/v1/rounds/{round_id}/progress"]
    idle = _Readers(urls, headers)
    time.sleep(5)
    idle.finish()
    busy = _Readers(urls, headers)
    rows = ctx.size(100_000, 10_000)
    job = pledge_client.post("/api/v1/directory/import", headers=headers, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(_people_csv(rows)), "people.csv")})
    survey_client = survey.create_app(survey.runtime.settings).test_client()
    survey_client.post(f"/api/v1/rounds/{round_id}/close", headers=headers)
    began = time.perf_counter()
    try:
        wait_for(lambda: pledge_client.get(f"/api/v1/jobs/{job.get_json()['job_id']}", headers=headers)
                 .get_json()["state"] in ("done", "failed"), 900, interval=0.5, what="import")
        wait_for(lambda: survey_client.get(f"/api/v1/rounds/{round_id}", headers=headers).get_json()["state"]
                 == "results_ready", 900, interval=0.5, what="aggregation")
    finally:
        busy.finish()
    idle_p99, = percentiles(idle.samples, 99)
    busy_p50, busy_p99 = percentiles(busy.samples, 50, 99)
    passed = busy.errors == 0 and busy_p99 <= GOAL_MS and busy_p99 <= GOAL_RATIO * idle_p99
    return [Figure(bench="load", name=f"read p99 during a {rows}-row import and an aggregation", value=busy_p99,
                   unit="ms", baseline=idle_p99, baseline_name="read p99 idle",
                   goal=f"<= {GOAL_MS:.0f} ms and <= {GOAL_RATIO:.0f}x idle, no failed read", passed=passed,
                   backend=ctx.backend, extra={"busy_p50_ms": round(busy_p50, 1), "reads": len(busy.samples),
                                               "failed_reads": busy.errors + idle.errors,
                                               "work_seconds": round(time.perf_counter() - began, 1)})]
