"""Survey benchmarks: ballot submission over HTTP and the aggregation of a round's answers.

1. Ballot submission.  The survey app under gunicorn (2 workers, gthread × 4) takes
   ``POST /api/v1/ballots/<token>`` (20 answers each: 5 members × 四强) for distinct tokens; the baseline
   is a plain Flask app under the same gunicorn settings whose endpoint parses the same JSON and does
   one INSERT into the same database.  Client: 8 threads in this process, one keep-alive
   ``httpx.Client`` each, every request timed; the same client drives both servers.  Throughput and
   p99 come from that saturated run; a second p99 from one client sending one request at a time
   (latency without queueing).  The rate limiter is switched off for the run.
2. Aggregation.  A closed round with 10^6 answers (quick: 10^4) written straight into the answer table;
   wall time of the whole workflow (start → every chunk → ranks, suppression, summaries, results_ready)
   run in this process, against the bare ``GROUP BY`` over the same answers in the same database.
4. Round open.  A three-way round over 100,000 people (2,000 branches of 5 members and 45 employees;
   quick: 2,000) opened as a large round: the request (202 ``opening``), every issuing chunk and every
   notify fan-out of the invitations run in this process one after another (one worker each, the broker
   hop left out), until every rater holds a ballot and finds the invitation in the inbox; against one
   executemany INSERT each of as many ballot, link and inbox rows in the same databases.
3. Release.  The answer sets the submission run left in the pool, released as one shuffled batch (the
   closing release: insert, delete, mark the ballots, commit, VACUUM), against a bare INSERT of as many rows.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from flask import Flask, request
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, func, insert, select, text

from bench import Context, Figure, percentiles, stopwatch
from shared.db import utcnow
from shared.testing.databases import create_pg_database, drop_pg_database, environ_for_test
from shared.testing.fakes import RecordingSender
from shared.testing.processes import wait_for

BENCH = "survey"
CLIENT_THREADS = 8
PLAIN = MetaData()
plain_rows = Table("bench_plain_submissions", PLAIN, Column("id", String(32), primary_key=True),
                   Column("token", String(64)), Column("body", Text))


def plain_app() -> Flask:
    """The baseline: parse the JSON body, one INSERT (gunicorn factory: ``bench.survey:plain_app()``)."""
    engine = create_engine(os.environ["BENCH_PLAIN_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    app = Flask("plain")

    @app.post("/plain/<token>")
    def submit(token: str):
        data = json.loads(request.get_data())
        with engine.begin() as conn:
            conn.execute(insert(plain_rows).values(id=uuid.uuid4().hex, token=token,
                                                   body=json.dumps(data["answers"])))
        return {"round_id": 1, "answers": len(data["answers"])}, 201

    return app


# ---- setup ----------------------------------------------------------------------------------------

def _database(ctx: Context, name: str) -> tuple[str, callable]:
    if ctx.backend == "services":
        db = f"xf_bench_{name}_{os.getpid()}"
        return create_pg_database(db), lambda: drop_pg_database(db)
    return f"sqlite:///{ctx.workdir / (name + '.sqlite3')}", lambda: None


def _directory(branches: int, members: int, employees: int):
    from shared.messages import DirectoryChanged, OrgRecord, PersonRecord

    orgs = [OrgRecord(1, "G", "集团党委", "committee", None, "/1/")]
    people = []
    pid = 1000
    for b in range(branches):
        oid = 10 + b
        orgs.append(OrgRecord(oid, f"B{oid}", f"支部{oid}", "branch", 1, f"/1/{oid}/"))
        for i in range(members + employees):
            pid += 1
            people.append(PersonRecord(pid, f"E{pid}", f"人员{pid}", oid, i < members,
                                       roles=["secretary"] if i == 0 else []))
    return DirectoryChanged(orgs=orgs, people=people)


def _open_round(ctx: Context, url: str, employees: int) -> tuple[dict[str, str], list[str]]:
    """A three-way round whose employees each hold a ballot of 5 members; returns the env and the tokens."""
    from services.survey import service
    from services.survey.models import directory
    from services.survey.rounds import actions
    from shared.auth import Principal
    from shared.directory import apply
    from shared.settings import load

    env = {**environ_for_test(ctx.workdir, {"survey": url}, "embedded"), "XIANFENG_SURVEY_RATE_LIMIT_ENABLED": "0",
           "XIANFENG_LOG_LEVEL": "WARNING"}
    settings = load(env)
    service.migrate(settings)
    sent = RecordingSender()
    service.start(settings, sender=sent)
    per_branch = 50
    with service.db.session() as s:
        apply(s, directory, _directory(max(1, employees // per_branch), 5, per_branch))
    admin = Principal(sub=None, roles=frozenset({"admin"}))
    with service.unit_of_work() as uow:
        created = actions.create_round(uow, admin, {"kind": "three_way", "title": "bench", "root_org_id": 1,
                                                    "closes_at": utcnow() + timedelta(days=2)})
    with service.unit_of_work() as uow:
        actions.open_round(uow, admin, created["id"])
    tokens = [item["link"].rsplit("/b/", 1)[1] for p in sent.of("notify.send") for item in p["items"]]
    service.runtime.db.dispose()
    employees_tokens = tokens  # secretaries/members hold branch ballots; the load only uses 5-member ballots
    return env, employees_tokens


def _gunicorn(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "-b",
            f"127.0.0.1:{port}", "--log-level", "warning", app]
    out = log.open("ab")
    proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                            cwd=str(Path(__file__).resolve().parent.parent), start_new_session=True)
    out.close()
    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 30, what=f"{app} listening")
    return proc


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code in (200, 404)
    except httpx.HTTPError:
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    import signal

    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# ---- the load --------------------------------------------------------------------------------------

def _load(base: str, paths: list[str], bodies: list[bytes], threads: int = CLIENT_THREADS,
          ) -> tuple[float, list[float], int]:
    """POST each body to its path from ``threads`` threads; wall time, latencies, non-201 count."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    jobs = list(zip(paths, bodies, strict=True))

    def worker(share: list) -> None:
        with httpx.Client(base_url=base, timeout=30, headers={"Content-Type": "application/json"}) as client:
            mine, bad = [], 0
            for path, body in share:
                start = time.perf_counter()
                r = client.post(path, content=body)
                mine.append(time.perf_counter() - start)
                bad += r.status_code != 201
            with lock:
                latencies.extend(mine)
                failures[0] += bad

    pool = [threading.Thread(target=worker, args=(jobs[i::threads],)) for i in range(threads)]
    with stopwatch() as wall:
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    return wall[0], latencies, failures[0]


def _ballot_body(client: httpx.Client, token: str) -> bytes:
    ballot = client.get(f"/api/v1/ballots/{token}").json()
    rng = random.Random(token)
    return json.dumps({"answers": [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
                                    "score": rng.randint(1, 5)} for t in ballot["targets"]
                                   for d in t["dimensions"]]}).encode()


def bench_submission(ctx: Context) -> list[Figure]:
    requests, single = ctx.size(3000, 300), ctx.size(500, 100)
    url, drop = _database(ctx, "submit")
    try:
        env, tokens = _open_round(ctx, url, requests + single + 300)
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        PLAIN.create_all(engine)
        engine.dispose()
        survey_port, plain_port = _free_port(), _free_port()
        servers = [_gunicorn("services.survey:create_app()", survey_port, env, ctx.workdir / "survey.log"),
                   _gunicorn("bench.survey:plain_app()", plain_port, {**env, "BENCH_PLAIN_DATABASE_URL": url},
                             ctx.workdir / "plain.log")]
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{survey_port}") as c:
                bodies = {t: _ballot_body(c, t) for t in tokens}
            fives = [t for t in tokens if len(json.loads(bodies[t])["answers"]) == 20]
            usable, alone = fives[:requests], fives[requests:requests + single]
            payload = [bodies[t] for t in usable]
            plain, survey = f"http://127.0.0.1:{plain_port}", f"http://127.0.0.1:{survey_port}"
            _load(plain, [f"/plain/warm{i}" for i in range(50)], payload[:50])
            plain_wall, plain_lat, plain_bad = _load(plain, [f"/plain/{t}" for t in usable], payload)
            survey_wall, survey_lat, survey_bad = _load(survey, [f"/api/v1/ballots/{t}" for t in usable], payload)
            # latency without queueing: one client, one request at a time
            one = [bodies[t] for t in alone]
            plain_one = _load(plain, [f"/plain/one{t}" for t in alone], one, threads=1)[1]
            survey_one = _load(survey, [f"/api/v1/ballots/{t}" for t in alone], one, threads=1)[1]
        finally:
            for proc in servers:
                _stop(proc)
        release_figure = _release(env)
    finally:
        drop()
    survey_rps, plain_rps = len(usable) / survey_wall, len(usable) / plain_wall
    [p99], [plain_p99] = percentiles(survey_lat, 99), percentiles(plain_lat, 99)
    extra = {"requests": len(usable), "answers_per_ballot": 20, "client_threads": CLIENT_THREADS,
             "non_201": survey_bad, "baseline_non_201": plain_bad, "p50_ms": percentiles(survey_lat, 50)[0]}
    return [
        Figure(BENCH, "ballot submission throughput", survey_rps, "req/s", plain_rps, "plain Flask + 1 INSERT",
               "ratio >= 0.5", survey_rps / plain_rps >= 0.5 and survey_bad == 0, extra=extra),
        Figure(BENCH, f"ballot submission p99 ({CLIENT_THREADS} clients, saturated)", p99, "ms", plain_p99,
               "plain Flask + 1 INSERT", "p99 < 40 ms", p99 < 40, extra=extra),
        Figure(BENCH, "ballot submission p99 (1 client)", percentiles(survey_one, 99)[0], "ms",
               percentiles(plain_one, 99)[0], "plain Flask + 1 INSERT", "p99 < 50 ms",
               percentiles(survey_one, 99)[0] < 50, extra={"requests": len(alone)}),
        release_figure,
    ]


def _release(env: dict[str, str]) -> Figure:
    """The submissions just made, released from the pool as one shuffled batch (insert, delete, mark the
    ballots, commit, then VACUUM / checkpoint) against a bare INSERT of as many rows."""
    from services.survey import service
    from services.survey.ballots import release
    from services.survey.models import PooledAnswers, Round
    from shared.settings import load

    service.start(load(env), sender=RecordingSender())
    with service.db.session() as s:
        sets = s.scalar(select(func.count()).select_from(PooledAnswers))
        answers = sum(map(len, s.scalars(select(PooledAnswers.answers))))
    rows = [{"id": uuid.uuid4().hex, "token": "x" * 32, "body": "4"} for _ in range(answers)]
    with stopwatch() as bare, service.db.session() as s:
        s.execute(insert(plain_rows), rows)
    with stopwatch() as wall, service.db.session() as s:
        release.release(s, s.scalars(select(Round)).one(), closing=True)
    service.runtime.db.dispose()
    return Figure(BENCH, f"release of {sets:,} pooled ballots ({answers:,} answers, shuffled, + VACUUM)", wall[0],
                  "s", bare[0], "bare INSERT of as many rows", "ratio <= 3", wall[0] / bare[0] <= 3,
                  extra={"ballots": sets, "answers": answers})


# ---- aggregation -----------------------------------------------------------------------------------

def _answers_round(url: str, ctx: Context, answers: int) -> int:
    """A closed three-way round: person targets of 4 dimensions × 100 raters each, written directly."""
    from services.survey import service
    from services.survey.models import Round, RoundTarget
    from shared.settings import load

    settings = load({**environ_for_test(ctx.workdir, {"survey": url}, "embedded"), "XIANFENG_LOG_LEVEL": "WARNING"})
    service.migrate(settings)
    service.start(settings, sender=RecordingSender())
    raters, dims = 100, ("awareness", "skill", "performance", "solidarity")
    targets = max(1, answers // (raters * len(dims)))
    from services.survey.rounds.domain.rules import round_settings

    with service.db.session() as s:
        round_ = Round(kind="three_way", title="bench", root_org_id=1, root_path="/1/", closes_at=utcnow(),
                       state="closed", settings=round_settings({}), closed_at=utcnow())
        s.add(round_)
        s.flush()
        rows = [{"round_id": round_.id, "target_type": "person", "target_id": 10_000 + i, "name": f"党员{i}",
                 "org_id": 10 + i // 10, "org_path": f"/1/{10 + i // 10}/"} for i in range(targets)]
        s.execute(insert(RoundTarget), rows)
        round_id = round_.id
    if service.db.engine.dialect.name == "postgresql":
        _answers_in_sql(service.db.engine, round_id, raters, dims)
    else:
        _answers_in_python(service, round_id, raters, dims)
    with service.db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return round_id


def _answers_in_python(service, round_id: int, raters: int, dims: tuple[str, ...]) -> None:
    from services.survey.models import Answer, RoundTarget

    with service.db.session() as s:
        refs = s.scalars(select(RoundTarget.id).where(RoundTarget.round_id == round_id)).all()
    rng = random.Random(1)
    batch: list[dict] = []
    for ref in refs:
        for dim in dims:
            for _ in range(raters):
                batch.append({"id": uuid.uuid4().hex, "round_id": round_id, "target_ref": ref, "dimension": dim,
                              "part": None, "score": rng.randint(1, 5)})
                if len(batch) >= 20_000:
                    with service.db.session() as s:
                        s.execute(insert(Answer), batch)
                    batch = []
    if batch:
        with service.db.session() as s:
            s.execute(insert(Answer), batch)


def _answers_in_sql(engine, round_id: int, raters: int, dims: tuple[str, ...]) -> None:
    """PostgreSQL: the answers generated by the database (10^7 in about a minute, not ten), in random order
    as released batches leave them: every target × dimension × rater, scores 1–5 (seeded)."""
    with engine.begin() as conn:
        conn.execute(text("SELECT setseed(0.25)"))
        conn.execute(text(
            "INSERT INTO survey_answers (id, round_id, target_ref, dimension, part, score) "
            "SELECT replace(gen_random_uuid()::text, '-', ''), :r, t.id, d.dimension, NULL, 1 + floor(random() * 5) "
            "FROM survey_round_targets t CROSS JOIN unnest(CAST(:dims AS text[])) AS d(dimension) "
            "CROSS JOIN generate_series(1, :raters) AS g WHERE t.round_id = :r ORDER BY random()"),
            {"r": round_id, "dims": list(dims), "raters": raters})


def bench_aggregation(ctx: Context) -> list[Figure]:
    from services.survey import service
    from services.survey.aggregation import inline

    answers = ctx.size(1_000_000, 10_000)
    url, drop = _database(ctx, "aggregate")
    try:
        round_id = _answers_round(url, ctx, answers)
        bare = text("SELECT target_ref, dimension, part, count(*), sum(score), min(score), max(score) "
                    "FROM survey_answers WHERE round_id = :r GROUP BY target_ref, dimension, part")
        with service.db.engine.connect() as conn, stopwatch() as bare_wall:
            groups = len(conn.execute(bare, {"r": round_id}).all())
        with stopwatch() as wall:
            inline.run(service.unit_of_work, round_id)
        with service.db.engine.connect() as conn, stopwatch() as bare_again:
            conn.execute(bare, {"r": round_id}).all()
        service.runtime.db.dispose()
    finally:
        drop()
    baseline = min(bare_wall[0], bare_again[0])
    return [Figure(BENCH, f"aggregation of {answers:,} answers (close → results_ready)", wall[0], "s", baseline,
                   "bare GROUP BY", "ratio <= 2", wall[0] / baseline <= 2,
                   extra={"groups": groups, "targets": groups // 4})]


def run(ctx: Context) -> list[Figure]:
    return bench_submission(ctx) + bench_aggregation(ctx) + bench_round_open(ctx)


# ---- round open: every ballot issued, every invitation in its inbox ----------------------------------

def _open_to_inboxes(survey, notify, queue, raters: int, issue_chunk: int) -> tuple[float, float, int, int]:
    """POST open (202 opening) → the workers' chunks (in this thread, as one worker) → notify's fan-outs;
    wall time, the open request's time, ballots, links."""
    from services.survey.rounds import actions, opening
    from shared.auth import Principal

    admin = Principal(sub=None, roles=frozenset({"admin"}))
    with survey.unit_of_work() as uow:
        rid = actions.create_round(uow, admin, {"kind": "three_way", "title": "bench open", "root_org_id": 1,
                                                "closes_at": utcnow() + timedelta(days=2),
                                                "settings": {"issue_chunk": issue_chunk}})["id"]
    with stopwatch() as wall:
        with stopwatch() as request, survey.unit_of_work() as uow:
            answered = actions.open_round(uow, admin, rid)
        opening.run(survey.unit_of_work, rid)
        queue.work(notify)
    from services.notify.models import InboxMessage
    from services.survey.models import Ballot, BallotTarget

    with survey.db.session() as s:
        ballots = s.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == rid))
        links = s.scalar(select(func.count()).select_from(BallotTarget).join(Ballot).where(Ballot.round_id == rid))
    with notify.db.session() as s:
        inboxes = s.scalar(select(func.count()).select_from(InboxMessage)
                           .where(InboxMessage.category == "survey_invite"))
    assert answered["state"] == "opening" and ballots == raters == inboxes, (answered["state"], ballots, inboxes)
    return wall[0], request[0], ballots, links


def _bulk_rows(survey, notify, ballots: int, links: int) -> float:
    """The baseline: the same number of ballot, link and inbox rows, each table one executemany INSERT."""
    from services.notify.models import InboxMessage
    from services.survey.models import Ballot, BallotTarget, RoundTarget

    with survey.db.session() as s:
        rid, ref = s.execute(select(RoundTarget.round_id, func.min(RoundTarget.id))
                             .group_by(RoundTarget.round_id)).one()
    first, now = 10**8, utcnow()
    ballot_rows = [{"id": first + i, "round_id": rid, "person_id": first + i, "org_id": 1, "org_path": "/1/",
                    "token_hash": uuid.uuid4().hex * 2, "used": False} for i in range(ballots)]
    link_rows = [{"ballot_id": first + i % ballots, "target_ref": ref + i // ballots, "part": None}
                 for i in range(links)]
    inbox_rows = [{"notification_id": 10**9, "person_id": i, "category": "bench", "subject": "2026 年度三测评",
                   "body": "请在截止前完成测评。", "link": f"http://x/b/{uuid.uuid4().hex}", "private": True,
                   "created_at": now} for i in range(ballots)]
    with stopwatch() as wall:
        with survey.db.session() as s:
            s.execute(insert(Ballot.__table__), ballot_rows)
            s.execute(insert(BallotTarget.__table__), link_rows)
        with notify.db.session() as s:
            s.execute(insert(InboxMessage.__table__), inbox_rows)
    return wall[0]


def bench_round_open(ctx: Context) -> list[Figure]:
    from bench import service_database
    from bench.notify import Queue
    from services.notify import service as notify
    from services.notify.models import directory as notify_directory
    from services.survey import service as survey
    from services.survey.models import directory as survey_directory
    from shared.directory import apply

    raters, chunk = ctx.size(100_000, 2_000), ctx.size(10_000, 500)
    event = _directory(raters // 50, 5, 45)
    queue = Queue()
    with (service_database(ctx, notify, "open_notify", sender=queue),
          service_database(ctx, survey, "open_survey", sender=queue)):
        for svc, tables in ((survey, survey_directory), (notify, notify_directory)):
            with svc.db.session() as s:
                apply(s, tables, event)
        wall, request, ballots, links = _open_to_inboxes(survey, notify, queue, raters, chunk)
        bulk = _bulk_rows(survey, notify, ballots, links)
    return [Figure(BENCH, f"round open, {raters:,} raters (ballots issued, every invitation in its inbox)", wall, "s",
                   bulk, "bare bulk insert of the same ballot, link and inbox rows", "ratio <= 5", wall / bulk <= 5,
                   extra={"ballots": ballots, "links": links, "issue_chunk": chunk, "workers": 1,
                          "open_request_s": request})]
