"""pledge core: importing the directory, and reading the ledger of the whole group.

- Import: a CSV of 10^6 people over 22 units × 20 branches, run as the ``pledge.import_directory`` job
  does (validation, chunked upserts, one ``DirectoryChanged`` per 1,000 people through the outbox, relay)
  in a process of its own, as a worker would; baseline: a plain SQLAlchemy Core bulk insert of the same
  rows into the same table.  Goal: rows/s ratio >= 0.3 (PostgreSQL), the job's peak RSS < 500 MB.
- Org tree: a national tree of 10^5 orgs (group, 20 provinces, cities, branches; children listed first)
  as one orgs sheet, against a Core bulk insert of as many org rows: it must import at all (the
  ``XIANFENG_IMPORT_MAX_ORG_ROWS`` limit), the ratio says what resolving the tree costs.
- Ledger: ``GET /api/v1/orgs/<root>/ledger`` first page with 10^5 published pledges, p50/p99 over 200
  requests through the Flask app; baseline: the same page and count as bare SQL.  Goal: p99 < 100 ms.
- Coverage: ``GET /api/v1/orgs/<root>/coverage`` (every gap kind counted, first page) over the same 10^5
  people and 10^5 pledges.  Goal: p99 < 200 ms.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select

from bench import Context, Figure, peak_rss, percentiles, service_database, stopwatch, timed
from shared import auth
from shared.db import utcnow

UNITS, BRANCHES_PER_UNIT = 22, 20
ADMIN = auth.Principal(sub="bench", roles=frozenset({"admin"}))


def _orgs(service) -> list[tuple[int, dict]]:
    from services.pledge.directory.importing.upsert import OrgIndex, upsert_orgs

    rows = [{"code": "HG", "name": "集团党委", "kind": "committee"}]
    for u in range(UNITS):
        rows.append({"code": f"U{u}", "name": f"二级单位{u}党委", "kind": "committee", "parent_code": "HG"})
        rows += [{"code": f"U{u}B{b}", "name": f"单位{u}第{b}支部", "kind": "branch", "parent_code": f"U{u}"}
                 for b in range(BRANCHES_PER_UNIT)]
    with service.unit_of_work() as ctx:
        s = ctx.session
        upsert_orgs(ctx, list(enumerate(rows, start=2)), OrgIndex.load(s), "zh")
        return [(r.id, r.path) for r in s.execute(select(_org().id, _org().path).where(_org().kind == "branch"))]


def _org():
    from services.pledge.models import Org

    return Org


def _people_csv(n: int, branches: int) -> bytes:
    out = io.StringIO()
    out.write("工号,姓名,组织编码,是否党员,入党日期,职务,邮箱,手机\n")
    for i in range(n):
        b = i % (UNITS * BRANCHES_PER_UNIT)
        joined = (date(1980, 1, 1) + timedelta(days=i % 10_000)).isoformat() if i % 3 else ""
        out.write(f"P{i:07d},员工{i},U{b // BRANCHES_PER_UNIT}B{b % BRANCHES_PER_UNIT},{'是' if i % 3 else '否'},"
                  f"{joined},{'书记' if i % 50 == 0 else ''},p{i}@example.com,1380{i:07d}\n")
    return out.getvalue().encode()


def _core_rows(start: int, stop: int, branch_paths: dict[str, tuple[int, str]]) -> list[dict]:
    now, rows = utcnow(), []
    for i in range(start, stop):
        b = i % (UNITS * BRANCHES_PER_UNIT)
        org_id, path = branch_paths[f"U{b // BRANCHES_PER_UNIT}B{b % BRANCHES_PER_UNIT}"]
        rows.append({"employee_no": f"P{i:07d}", "name": f"员工{i}", "org_id": org_id, "org_path": path,
                     "party_member": bool(i % 3), "roles": ["secretary"] if i % 50 == 0 else [],
                     "joined_party_on": date(1980, 1, 1) + timedelta(days=i % 10_000) if i % 3 else None,
                     "email": f"p{i}@example.com", "phone": f"1380{i:07d}", "active": True, "created_at": now,
                     "updated_at": now})
    return rows


def _job_process(settings, job_id: str) -> tuple[float, int]:
    """In a process of its own, as a pledge worker would: run the job; its wall time and peak RSS (bytes)."""
    from services.pledge import service
    from services.pledge.directory.importing import jobs

    service.start(settings, sender=lambda *a, **k: None)
    with stopwatch() as t:
        state = jobs.run_job(service.unit_of_work, job_id)
    assert state == "done", state
    return t[0], peak_rss()


def run_job_apart(settings, job_id: str) -> tuple[float, int]:
    """The job run in a fresh (spawned) process, so its peak RSS is the worker's, not this bench's."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_job_process, (settings, job_id))


def bench_import(service, settings, n: int) -> tuple[float, float, dict]:
    from services.pledge.directory.importing import jobs
    from services.pledge.models import ImportJob, Org, Person

    with service.db.session() as s:
        paths = {r.code: (r.id, r.path) for r in s.execute(select(Org.code, Org.id, Org.path))}
    with stopwatch() as core, service.db.session() as s:
        for start in range(0, n, 10_000):  # rows built per chunk (kept out of the timing would favour Core more)
            s.execute(insert(Person.__table__), _core_rows(start, min(n, start + 10_000), paths))
    with service.db.session() as s:
        s.execute(delete(Person))
        s.execute(delete(service.outbox_table))
    content = _people_csv(n, UNITS * BRANCHES_PER_UNIT)
    with service.unit_of_work() as ctx:
        job_id = jobs.create_job(ctx, ADMIN, "people.csv", content, "zh").id
    del content
    job_s, rss = run_job_apart(settings, job_id)
    with service.db.session() as s:
        done = s.get(ImportJob, job_id)
        assert done.created_people == n and done.error_count == 0, (done.created_people, done.errors[:3])
        messages = s.scalar(select(func.count()).select_from(service.outbox_table))
    return n / job_s, n / core[0], {"import_s": job_s, "core_s": core[0], "outbox_rows": messages,
                                    "peak_rss_mb": rss / 2**20}


def _org_tree_csv(n: int) -> bytes:
    """A national tree: the group, 20 provinces, cities under them, branches under the cities (children first)."""
    lines = ["code,name,kind,parent_code"]
    cities = max(1, n // 50)
    lines += [f"C{c}B{b},第{b}支部,branch,C{c}" for b in range(n // cities) for c in range(cities)]
    lines += [f"C{c},市{c}党委,committee,P{c % 20}" for c in range(cities)]
    lines += [f"P{p},省{p}党委,committee,HG" for p in range(20)] + ["HG,集团党委,committee,"]
    return ("\n".join(lines) + "\n").encode()


def bench_orgs(ctx: Context, n: int) -> Figure:
    """Importing a national org tree (its own database): orgs/s against a Core bulk insert of as many org rows."""
    from services.pledge import service
    from services.pledge.directory.importing import jobs
    from services.pledge.models import ImportJob, Org

    content = _org_tree_csv(n)
    with service_database(ctx, service, "pledge_orgs") as settings:
        rows = [{"code": f"X{i}", "name": f"组织{i}", "kind": "branch", "parent_id": None, "path": f"/x{i}/"}
                for i in range(content.count(b"\n") - 1)]
        with stopwatch() as core, service.db.session() as s:
            for start in range(0, len(rows), 10_000):
                s.execute(insert(Org.__table__), rows[start:start + 10_000])
        with service.db.session() as s:
            s.execute(delete(Org).where(Org.code.startswith("X")))  # the baseline's rows (codes X0…)
        with service.unit_of_work() as uow:
            job_id = jobs.create_job(uow, ADMIN, "orgs.csv", content, "zh").id
        job_s, rss = run_job_apart(settings, job_id)
        with service.db.session() as s:
            done = s.get(ImportJob, job_id)
            written, errors = done.done, done.errors[:3]
    assert written == len(rows) and not errors, (written, len(rows), errors)
    return Figure("pledge", f"org tree import, {len(rows)} orgs (one orgs sheet)", len(rows) / job_s, "rows/s",
                  baseline=len(rows) / core[0], baseline_name="SQLAlchemy Core bulk insert",
                  goal=f"imports (limit {settings.import_max_org_rows} rows)", passed=True,
                  extra={"import_s": job_s, "core_s": core[0], "peak_rss_mb": rss / 2**20})


def _pledges(service, branches: list[tuple[int, str]], n: int) -> None:
    from services.pledge.models import Pledge

    now, today = utcnow(), date.today()
    targets = [{"name": "降本", "unit": "万元", "target": 100, "due_on": None}]
    rows = [{"pledger_type": "org", "pledger_id": branches[i % len(branches)][0], "pledger_name": f"支部{i}",
             "org_id": branches[i % len(branches)][0], "org_path": branches[i % len(branches)][1],
             "reviewer_org_id": None, "category": "key_tasks", "title": f"承诺{i}", "content": "", "audiences": [],
             "targets": targets, "due_on": today + timedelta(days=i % 365 - 100), "state": "published", "version": 1,
             "published_version": 1, "on_ledger": True, "channels": ["board", "meeting", "intranet"],
             "on_board": True, "on_meeting": True, "on_intranet": True, "exemplar": False,
             "latest_values": {"降本": i % 120}, "completion": min(1.0, (i % 120) / 100), "created_at": now,
             "published_at": now,
             "updated_at": now} for i in range(n)]
    with service.db.session() as s:
        for start in range(0, n, 10_000):
            s.execute(insert(Pledge.__table__), rows[start:start + 10_000])


def _bare_ledger(service, root_path: str):
    from services.pledge.models import Org, Pledge

    base = select(Pledge, Org.name).join(Org, Org.id == Pledge.org_id).where(
        Pledge.on_intranet.is_(True), Pledge.org_path.startswith(root_path))
    count = select(func.count()).select_from(Pledge).where(Pledge.on_intranet.is_(True),
                                                           Pledge.org_path.startswith(root_path))

    def bare() -> None:
        with service.db.session() as s:
            s.execute(count).scalar_one()
            s.execute(base.order_by(Pledge.due_on, Pledge.id).limit(50)).all()

    return bare


def run(ctx: Context) -> list[Figure]:
    from services.pledge import service

    people, pledges, repeat = ctx.size(1_000_000, 5_000), ctx.size(100_000, 5_000), ctx.size(200, 40)
    with service_database(ctx, service, "pledge") as settings:
        branches = _orgs(service)
        rate, core_rate, extra = bench_import(service, settings, people)
        _pledges(service, branches, pledges)
        if ctx.backend == "services":
            with service.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        client = service.create_app(settings).test_client()
        headers = {"Authorization": f"Bearer {auth.mint(settings.secret_key, roles=['member'], sub='1')}"}
        with service.db.session() as s:
            root_id, root_path = s.execute(select(_org().id, _org().path).where(_org().code == "HG")).one()
        ledger_url = f"/api/v1/orgs/{root_id}/ledger"
        assert client.get(ledger_url, headers=headers).get_json()["total"] == pledges
        api = timed(lambda: client.get(ledger_url, headers=headers), repeat)
        bare = timed(_bare_ledger(service, root_path), repeat)
        admin = {"Authorization": f"Bearer {auth.mint(settings.secret_key, roles=['admin'], sub='1')}"}
        coverage_url = f"/api/v1/orgs/{root_id}/coverage"
        gaps = client.get(coverage_url, headers=admin).get_json()
        coverage = timed(lambda: client.get(coverage_url, headers=admin), ctx.size(50, 10))
    api_p50, api_p99 = percentiles(api, 50, 99)
    bare_p50, bare_p99 = percentiles(bare, 50, 99)
    cov_p50, cov_p99 = percentiles(coverage, 50, 99)
    goal = 0.3 if ctx.backend == "services" else None
    rss_ok = extra["peak_rss_mb"] < 500
    return [
        Figure("pledge", f"directory import, {people} people (job: validate, upsert, outbox)", rate, "rows/s",
               baseline=core_rate, baseline_name="SQLAlchemy Core bulk insert",
               goal="ratio >= 0.3 (PostgreSQL), peak worker RSS < 500 MB",
               passed=rss_ok if goal is None else rate / core_rate >= goal and rss_ok, extra=extra),
        Figure("pledge", f"ledger of the group root, {pledges} pledges, first page p99", api_p99, "ms",
               baseline=bare_p99, baseline_name="bare SQL page + count p99", goal="p99 < 100 ms",
               passed=api_p99 < 100, extra={"p50_ms": api_p50, "bare_p50_ms": bare_p50, "requests": repeat}),
        Figure("pledge", f"coverage of the group root, {people} people, {pledges} pledges, p99", cov_p99, "ms",
               goal="p99 < 200 ms", passed=cov_p99 < 200,
               extra={"p50_ms": cov_p50, "gaps": gaps["total"], "totals": gaps["totals"]}),
        bench_orgs(ctx, ctx.size(100_000, 2_000)),
    ]
