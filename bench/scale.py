"""scale: the same work with 1, 2 and 4 worker processes, each its own process with its own broker
connection (as on separate hosts): how far adding workers takes a queue.

- Fan-out of 200,000: ``POST /api/v1/notifications`` to a 200,000-person subtree (inbox), wall time to
  ``done`` with k ``xianfeng worker notify --concurrency 1`` processes consuming the 200 delivery chunks.
- Aggregation of 10^6 answers: a closed three-way round (2,500 targets × 4 dimensions × 100 raters), the
  ``survey.aggregate_round`` chord (targets cut into ranges of ``aggregation_chunk`` = 250, so 10 chunk
  tasks) with k ``xianfeng worker survey --concurrency 1`` processes, wall time to ``results_ready``.

- Round open of a national group: a three-way round over 10^6 people (10,000 branches of 5 members and 95
  employees; quick: 2,000) opened through ``POST /rounds/{id}/open`` with 2 survey and 2 notify workers
  running: the time the request takes to answer 202 ``opening`` (goal < 2 s; baseline: planning the
  round within the request, what it did before ``plan_within_request``), and in ``extra`` the time until
  every invitation is in its inbox and each worker's peak RSS.

Value: throughput (people or answers per second) with k workers; baseline: the same with 1 worker, so
the ratio is the speed-up.  Goal: 2 workers ≥ 1.3× one.  On the services backend the workers use the
machine's PostgreSQL and Redis (a key prefix of their own); embedded, SQLite and an embedded Redis, where
SQLite's single writer caps the speed-up (a smoke run only).  A 2-core machine caps 4 workers near 2.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update

from bench import Context, Figure, peak_rss
from shared import auth
from shared.settings import load
from shared.testing.databases import create_pg_database, drop_pg_database, environ_for_test
from shared.testing.processes import WorkerProcess, start_broker, wait_for

WORKERS = (1, 2, 4)


class Pool:
    """k ``xianfeng worker SERVICE`` processes with one process each (same node name: Celery allows it
    without mingle); ready once k of them answer a ping."""

    def __init__(self, service, environ: dict, logdir: Path, k: int) -> None:
        self.service = service
        self.workers = []
        for i in range(k):
            d = logdir / f"{service.name}-{k}-{i}"
            d.mkdir(parents=True, exist_ok=True)
            self.workers.append(WorkerProcess(service, environ, d, concurrency=1))

    def __enter__(self) -> Pool:
        for w in self.workers:
            _spawn(w)
        wait_for(lambda: len(self.service.celery.control.ping(timeout=1.0)) >= len(self.workers), 120,
                 interval=0.5, what=f"{len(self.workers)} {self.service.name} workers")
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            w.stop()


def _spawn(w: WorkerProcess) -> None:
    """``WorkerProcess.start`` without its readiness wait (that pings by node name, shared here)."""
    import os
    import subprocess

    from shared.supervisor import xianfeng_argv

    w.starts += 1
    with w.log_path.open("ab") as log:
        w.process = subprocess.Popen(
            xianfeng_argv("worker", w.service.name, "--concurrency", "1"), env={**os.environ, **w.environ},
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def _database(ctx: Context, name: str, stack: ExitStack) -> str:
    if ctx.backend == "services":
        db = f"xf_bench_{name}_{int(time.time())}"
        url = create_pg_database(db)
        stack.callback(drop_pg_database, db)
        return url
    return f"sqlite:///{ctx.workdir / (name + '.sqlite3')}"


def _environ(ctx: Context, urls: dict[str, str]) -> dict[str, str]:
    env = environ_for_test(ctx.workdir, urls, ctx.backend)
    return {**env, "XIANFENG_LOG_LEVEL": "WARNING"}


# ---- fan-out ----------------------------------------------------------------------------------------

def _fanout(ctx: Context, stack: ExitStack, n: int) -> dict[int, float]:
    from bench.notify import _people
    from services.notify import service
    from services.notify.delivery.models import Delivery
    from services.notify.inbox.models import InboxMessage
    from services.notify.notifications.models import Notification

    env = _environ(ctx, {"notify": _database(ctx, "scale_notify", stack)})
    settings = load(env)
    service.migrate(settings)
    service.start(settings, sender=None)  # the real broker: the outbox relays to the workers' queue
    stack.callback(lambda: service.runtime.db.dispose())
    _people(service, n)
    client = service.create_app(settings).test_client()
    headers = {"Authorization": f"Bearer {auth.mint(settings.secret_key, roles=['admin'])}"}

    def send(recipients: dict) -> float:
        start = time.perf_counter()
        resp = client.post("/api/v1/notifications", headers=headers, json={
            "category": "general", "subject": "关于开展“钢铁先锋”主题活动的通知", "body": "各支部：……",
            "recipients": recipients, "channels": ["inbox"]})
        assert resp.status_code == 202, resp.json
        nid = resp.json["id"]

        def done():
            with service.db.session() as s:
                return s.scalar(select(Notification.state).where(Notification.id == nid)) == "done"

        wait_for(done, 1800, interval=0.2, what="fan-out done")
        return time.perf_counter() - start

    rates = {}
    for k in WORKERS if not ctx.quick else WORKERS[:2]:
        with Pool(service, env, ctx.workdir / "logs", k):
            send({"person_ids": [1, 2, 3]})  # warm every worker's imports and connections a little
            wall = send({"org_id": 1})
        rates[k] = n / wall
        with service.db.session() as s:  # each run on the same empty tables
            s.execute(delete(InboxMessage))
            s.execute(delete(Delivery))
    return rates


# ---- aggregation ------------------------------------------------------------------------------------

def _aggregation(ctx: Context, stack: ExitStack, answers: int) -> dict[int, float]:
    from bench.survey import _answers_round
    from services.survey import service
    from services.survey.rounds.domain.messages import AggregateRound
    from services.survey.rounds.models import Round

    url = _database(ctx, "scale_survey", stack)
    round_id = _answers_round(url, ctx, answers)
    env = _environ(ctx, {"survey": url})
    settings = load(env)
    service.start(settings, sender=None)
    stack.callback(lambda: service.runtime.db.dispose())
    with service.db.session() as s:
        r = s.get(Round, round_id)
        r.settings = {**r.settings, "aggregation_chunk": max(1, answers // 400 // 10)}  # 10 chunk tasks
    rates = {}
    for k in WORKERS if not ctx.quick else WORKERS[:2]:
        with Pool(service, env, ctx.workdir / "logs", k):
            with service.db.session() as s:
                s.execute(update(Round).where(Round.id == round_id).values(state="closed"))
            start = time.perf_counter()
            with service.unit_of_work() as uow:
                uow.publish(AggregateRound(round_id))

            def ready():
                with service.db.session() as s:
                    state = s.scalar(select(Round.state).where(Round.id == round_id))
                if state == "failed":
                    raise RuntimeError("aggregation failed")
                return state == "results_ready"

            wait_for(ready, 1800, interval=0.2, what="results_ready")
            rates[k] = answers / (time.perf_counter() - start)
    return rates


# ---- round open of a national group ----------------------------------------------------------------

def _worker_peaks(pool: Pool) -> list[int]:
    """Each worker's peak RSS in bytes: the largest VmHWM in its process tree (the Celery main process and
    its one pool process, which runs the tasks)."""
    import psutil

    peaks = []
    for w in pool.workers:
        tree = [psutil.Process(w.process.pid)]
        tree += tree[0].children(recursive=True)
        peaks.append(max(peak_rss(p.pid) for p in tree))
    return peaks


def _round_open(ctx: Context, stack: ExitStack, people: int) -> Figure:
    """A three-way round over ``people`` (branches of 5 members and 95 employees) opened through the API:
    the 202 ``opening`` (the workers plan it: more than ``plan_within_request`` people), then 2 survey and
    2 notify workers issue every ballot and put every invitation in its inbox."""
    from bench.survey import _directory
    from services.notify import service as notify
    from services.notify.models import InboxMessage
    from services.notify.models import directory as notify_directory
    from services.survey import service as survey
    from services.survey.models import Ballot, Round
    from services.survey.models import directory as survey_directory
    from shared.db import utcnow
    from shared.directory import apply

    urls = {"survey": _database(ctx, "open_survey", stack), "notify": _database(ctx, "open_notify", stack)}
    env = _environ(ctx, urls)
    settings = load(env)
    event = _directory(max(1, people // 100), 5, 95)
    for svc, tables in ((survey, survey_directory), (notify, notify_directory)):
        svc.migrate(settings)
        svc.start(settings, sender=None)
        stack.callback(lambda svc=svc: svc.runtime.db.dispose())
        with svc.db.session() as s:
            apply(s, tables, event)
    del event
    client = survey.create_app(settings).test_client()
    headers = {"Authorization": f"Bearer {auth.mint(settings.secret_key, roles=['admin'])}"}
    made = client.post("/api/v1/rounds", headers=headers, json={
        "kind": "three_way", "title": "2026 年度三测评（全集团）", "root_org_id": 1,
        "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
        "settings": {"plan_within_request": min(100_000, people // 2)}})
    assert made.status_code == 201, made.json
    rid = made.json["id"]
    from services.survey.rounds import issuing

    with survey.db.session() as s:  # the baseline: what the request paid before, planning the round itself
        plan_start = time.perf_counter()
        issuing.prepare(s, s.get(Round, rid))
        plan_s = time.perf_counter() - plan_start
    with Pool(survey, env, ctx.workdir / "logs", 2) as surveys, Pool(notify, env, ctx.workdir / "logs", 2) as notifies:
        start = time.perf_counter()
        answered = client.post(f"/api/v1/rounds/{rid}/open", headers=headers)
        request_s = time.perf_counter() - start
        assert answered.status_code == 202 and answered.json["state"] == "opening", answered.json

        def invited() -> bool:
            with survey.db.session() as s:
                state = s.scalar(select(Round.state).where(Round.id == rid))
                ballots = s.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == rid))
            if state != "open":
                return False
            with notify.db.session() as s:
                inboxes = s.scalar(select(func.count()).select_from(InboxMessage)
                                   .where(InboxMessage.category == "survey_invite"))
            return inboxes == ballots

        wait_for(invited, 3600, interval=1.0, what="every invitation in its inbox")
        wall = time.perf_counter() - start
        rss = {"survey": _worker_peaks(surveys), "notify": _worker_peaks(notifies)}
    with survey.db.session() as s:
        ballots = s.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == rid))
    mb = {name: [round(b / 2**20) for b in peaks] for name, peaks in rss.items()}
    return Figure("scale", f"round open, {people:,} people: POST answered (202 opening)", request_s, "s",
                  baseline=plan_s, baseline_name="planning the round within the request, as before",
                  goal="< 2 s", passed=request_s < 2,
                  extra={"ballots": ballots, "every_invitation_in_inbox_s": round(wall, 1),
                         "workers": "2 survey + 2 notify", "peak_rss_mb": mb})


def _figures(ctx: Context, name: str, unit: str, rates: dict[int, float]) -> list[Figure]:
    """Judged on PostgreSQL + Redis only: embedded, SQLite's one writer is the limit, not the workers."""
    one, judged = rates[1], ctx.backend == "services"
    return [Figure("scale", f"{name}, {k} worker{'s' if k > 1 else ''}", rate, unit, baseline=one,
                   baseline_name="the same with 1 worker", goal="ratio >= 1.3 (PostgreSQL)" if k == 2 else "",
                   passed=rate / one >= 1.3 if k == 2 and judged else None)
            for k, rate in rates.items()]


def run(ctx: Context) -> list[Figure]:
    people, answers, group = ctx.size(200_000, 2_000), ctx.size(1_000_000, 8_000), ctx.size(1_000_000, 2_000)
    with ExitStack() as stack:
        broker = start_broker(load(_environ(ctx, {})))
        if broker is not None:
            stack.callback(broker.stop)
        fan = _fanout(ctx, stack, people)
        agg = _aggregation(ctx, stack, answers)
        opened = _round_open(ctx, stack, group)
    return (_figures(ctx, f"fan-out of {people:,}", "people/s", fan)
            + _figures(ctx, f"aggregation of {answers:,} answers", "answers/s", agg) + [opened])
