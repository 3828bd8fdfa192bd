"""pledge supervision (督诺): reading inspections of the whole group, and contact-point counts.

- Inspections: ``GET /api/v1/inspections?org_id=<root>&subtree=1`` first page with 10^5 inspections
  over 22 units × 20 branches, p99 over repeated requests through the Flask app; baseline: the same
  page (and its count) as bare SQL.  Goal: p99 < 100 ms.
- Contact points: ``GET /api/v1/contact-points/counts?group_by=unit`` with the article's 272 contact
  points and ~1,100 visits, p99; baseline: the bare GROUP BY.  Goal: p99 < 50 ms.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, insert, select

from bench import Context, Figure, percentiles, service_database, timed
from shared import auth
from shared.db import utcnow

UNITS, BRANCHES_PER_UNIT, CONTACT_POINTS, VISITS = 22, 20, 272, 1100


def _group(session) -> tuple[int, list[int], list[int]]:
    """The org tree and one leader per unit plus the group's; returns (root, branches, leaders)."""
    from services.pledge.models import Org, Person

    root = Org(code="HG", name="集团党委", kind="committee", path="")
    session.add(root)
    session.flush()
    root.path = f"/{root.id}/"
    branches, leaders = [], []
    for u in range(UNITS):
        unit = Org(code=f"U{u}", name=f"二级单位{u}党委", kind="committee", parent_id=root.id, path="")
        session.add(unit)
        session.flush()
        unit.path = f"{root.path}{unit.id}/"
        for b in range(BRANCHES_PER_UNIT):
            branch = Org(code=f"U{u}B{b}", name=f"单位{u}第{b}支部", kind="branch", parent_id=unit.id, path="")
            session.add(branch)
            session.flush()
            branch.path = f"{unit.path}{branch.id}/"
            branches.append((branch.id, branch.path))
        leader = Person(employee_no=f"L{u}", name=f"领导{u}", org_id=unit.id, org_path=unit.path, roles=["secretary"])
        session.add(leader)
        session.flush()
        leaders.append(leader.id)
    return root.id, branches, leaders


def _inspections(session, branches: list[tuple[int, str]], inspector: int, n: int) -> None:
    from services.pledge.supervision.models import Inspection

    start, now = date(2020, 1, 1), utcnow()
    rows = [{"org_id": branches[i % len(branches)][0], "kind": "routine" if i % 3 else "unannounced",
             "visited_on": start + timedelta(days=i % 2000), "inspector_id": inspector, "findings": "检查记录",
             "rating": 1 + i % 5, "created_by": "bench", "created_at": now} for i in range(n)]
    for chunk in range(0, n, 10_000):
        session.execute(insert(Inspection.__table__), rows[chunk:chunk + 10_000])


def _contacts(session, branches: list[tuple[int, str]], leaders: list[int]) -> None:
    from services.pledge.supervision.models import ContactPoint, ContactVisit

    now, points = utcnow(), []
    for i in range(CONTACT_POINTS):
        points.append({"leader_id": leaders[i % len(leaders)], "org_id": branches[(i * 7) % len(branches)][0],
                       "created_at": now})
    session.execute(insert(ContactPoint.__table__), points)
    ids = session.execute(select(ContactPoint.id)).scalars().all()
    visits = [{"contact_point_id": ids[i % len(ids)], "visited_on": date(2024, 1, 1) + timedelta(days=i % 300),
               "notes": "调研", "created_at": now} for i in range(VISITS)]
    session.execute(insert(ContactVisit.__table__), visits)


def _bare_inspections(service, root_path: str):
    from services.pledge.models import Org
    from services.pledge.supervision.models import Inspection

    page = (select(Inspection).join(Org, Org.id == Inspection.org_id).where(Org.path.startswith(root_path))
            .order_by(Inspection.visited_on.desc(), Inspection.id.desc()).limit(50))
    count = select(func.count()).select_from(Inspection).join(Org, Org.id == Inspection.org_id).where(
        Org.path.startswith(root_path))

    def bare() -> None:
        with service.db.session() as s:
            s.execute(count).scalar_one()
            s.execute(page).scalars().all()

    return bare


def _bare_counts(service):
    from services.pledge.supervision.models import ContactPoint, ContactVisit

    stmt = (select(ContactPoint.org_id, func.count(func.distinct(ContactPoint.id)), func.count(ContactVisit.id))
            .outerjoin(ContactVisit, ContactVisit.contact_point_id == ContactPoint.id).group_by(ContactPoint.org_id))

    def bare() -> None:
        with service.db.session() as s:
            s.execute(stmt).all()

    return bare


def run(ctx: Context) -> list[Figure]:
    from services.pledge import service

    n, repeat = ctx.size(100_000, 10_000), ctx.size(200, 40)
    with service_database(ctx, service, "supervision") as settings:
        client = service.create_app(settings).test_client()
        headers = {"Authorization": f"Bearer {auth.mint(settings.secret_key, roles=['admin'])}"}
        with service.db.session() as s:
            root, branches, leaders = _group(s)
            _inspections(s, branches, leaders[0], n)
            _contacts(s, branches, leaders)
        if ctx.backend == "services":
            with service.db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        list_url = f"/api/v1/inspections?org_id={root}&subtree=1"
        assert client.get(list_url, headers=headers).get_json()["total"] == n
        api = timed(lambda: client.get(list_url, headers=headers), repeat)
        bare = timed(_bare_inspections(service, f"/{root}/"), repeat)
        counts_url = "/api/v1/contact-points/counts?group_by=unit"
        assert client.get(counts_url, headers=headers).get_json()["total"] > 0
        counts_api = timed(lambda: client.get(counts_url, headers=headers), repeat)
        counts_bare = timed(_bare_counts(service), repeat)
    api_p50, api_p99 = percentiles(api, 50, 99)
    bare_p50, bare_p99 = percentiles(bare, 50, 99)
    c_p50, c_p99 = percentiles(counts_api, 50, 99)
    cb_p50, cb_p99 = percentiles(counts_bare, 50, 99)
    return [
        Figure("supervision", f"inspections of the group root, {n} rows, first page p99", api_p99, "ms",
               baseline=bare_p99, baseline_name="bare SQL page + count p99", goal="p99 < 100 ms",
               passed=api_p99 < 100, extra={"p50_ms": api_p50, "bare_p50_ms": bare_p50, "requests": repeat}),
        Figure("supervision", f"contact counts per unit, {CONTACT_POINTS} points / {VISITS} visits, p99", c_p99, "ms",
               baseline=cb_p99, baseline_name="bare GROUP BY p99", goal="p99 < 50 ms", passed=c_p99 < 50,
               extra={"p50_ms": c_p50, "bare_p50_ms": cb_p50, "requests": repeat}),
    ]
