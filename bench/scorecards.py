"""四好 scorecards of 10^3 orgs (quick: 10^2) from a year of facts and a leadership round's results.

The whole computation (start → every chunk of 250 orgs → ranks) runs in this process, as ``xianfeng
daily`` does, in exact fractions, and writes one scorecard per org.  The baseline is one bare SQL
statement over the same data in the same database doing the same job: each part from the facts (and
the team's mean score from the results), the weighted score renormalised over the parts present, the
rank, inserted into a scratch table.
"""

from __future__ import annotations

import os
import random
from datetime import date

from sqlalchemy import insert, text

from bench import Context, Figure, stopwatch
from shared.db import utcnow
from shared.testing.databases import create_pg_database, drop_pg_database, environ_for_test
from shared.testing.fakes import RecordingSender

BENCH = "scorecards"
YEAR = 2026
# the same rules as scorecards/domain/composition, in SQL (default weights)
PARTS_SQL = {
    "pledges": ("0.2", "CASE WHEN f.pledges > 0 THEN CASE WHEN f.fulfilled + f.partly + f.unfulfilled > 0 THEN "
                "(f.completion_sum / f.pledges + (f.fulfilled * 100.0 + f.partly * 50.0) / "
                "(f.fulfilled + f.partly + f.unfulfilled)) / 2 ELSE f.completion_sum / f.pledges END END"),
    "leadership": ("0.15", "t.score"),
    "inspections": ("0.1", "CASE WHEN f.inspections > 0 THEN f.rating_sum * 20.0 / f.inspections END"),
    "quarterly_comments": ("0.1", "CASE WHEN f.quarters_due > 0 THEN f.comment_quarters * 100.0 / f.quarters_due END"),
    "demo_sites": ("0.05", "CASE WHEN f.site_evaluations > 0 THEN f.site_overall_sum / f.site_evaluations END"),
    "contacts": ("0.05", "CASE WHEN f.contact_points > 0 THEN f.contact_points_visited * 100.0 / f.contact_points END"),
}


def _bare_sql() -> str:
    parts = ", ".join(f"{expr} AS {name}" for name, (_, expr) in PARTS_SQL.items())
    num = " + ".join(f"COALESCE({w} * {n}, 0)" for n, (w, _) in PARTS_SQL.items())
    den = " + ".join(f"CASE WHEN {n} IS NOT NULL THEN {w} ELSE 0 END" for n, (w, _) in PARTS_SQL.items())
    return (
        "INSERT INTO bench_scores (org_id, score, rnk) SELECT org_id, score, RANK() OVER (ORDER BY score DESC) FROM ("
        f" SELECT org_id, ({num}) / NULLIF({den}, 0) AS score FROM ("
        f"  SELECT f.org_id, {parts} FROM survey_scorecard_facts f LEFT JOIN ("
        "   SELECT rt.target_id, AVG(r.score) AS score FROM survey_results r"
        "   JOIN survey_round_targets rt ON rt.id = r.target_ref"
        "   WHERE rt.target_type = 'team' AND r.suppressed = false AND r.score IS NOT NULL GROUP BY rt.target_id"
        "  ) t ON t.target_id = f.org_id WHERE f.year = :year) p) s")


def _database(ctx: Context) -> tuple[str, callable]:
    if ctx.backend == "services":
        db = f"xf_bench_scorecards_{os.getpid()}"
        return create_pg_database(db), lambda: drop_pg_database(db)
    return f"sqlite:///{ctx.workdir / 'scorecards.sqlite3'}", lambda: None


def _year_of_data(service, orgs: int) -> None:
    from services.survey.models import Result, Round, RoundTarget, directory
    from services.survey.rounds.domain.rules import round_settings
    from services.survey.scorecards import facts
    from shared.directory import apply
    from shared.messages import DirectoryChanged, OrgRecord, OrgYearFacts, ScorecardFactsChanged

    committees = max(1, orgs // 20)
    records = [OrgRecord(1, "G", "集团党委", "committee", None, "/1/")]
    for c in range(committees):
        cid = 10 + c
        records.append(OrgRecord(cid, f"C{cid}", f"党委{cid}", "committee", 1, f"/1/{cid}/"))
    for b in range(orgs - committees):
        bid, parent = 10_000 + b, 10 + b % committees
        records.append(OrgRecord(bid, f"B{bid}", f"支部{bid}", "branch", parent, f"/1/{parent}/{bid}/"))
    rng = random.Random(3)
    year_facts = [OrgYearFacts(org_id=o.id, year=YEAR, pledges=(n := rng.randint(0, 30)),
                               completion_sum=round(sum(rng.uniform(0, 100) for _ in range(n)), 2),
                               closed=(k := rng.randint(0, n)), fulfilled=(f := rng.randint(0, k)), partly=k - f,
                               inspections=(i := rng.randint(0, 6)),
                               rating_sum=sum(rng.randint(1, 5) for _ in range(i)),
                               comment_quarters=rng.randint(0, 4), quarters_due=4,
                               site_evaluations=(s := rng.randint(0, 12)),
                               site_overall_sum=round(sum(rng.uniform(60, 100) for _ in range(s)), 1),
                               contact_points=(p := rng.randint(0, 3)), contact_points_visited=rng.randint(0, p))
                  for o in records[1:]]
    with service.db.session() as s:
        apply(s, directory, DirectoryChanged(orgs=records))
        facts.apply(s, ScorecardFactsChanged(year=YEAR, as_of=f"{YEAR}-12-01", facts=year_facts))
        round_ = Round(kind="leadership", title="bench", root_org_id=1, root_path="/1/", closes_at=utcnow(),
                       state="results_ready", settings=round_settings({"period_start": f"{YEAR}-01-01",
                                                                       "period_end": f"{YEAR}-12-31"}))
        s.add(round_)
        s.flush()
        rows = [{"round_id": round_.id, "target_type": "team", "target_id": o.id, "name": o.name, "org_id": 1,
                 "org_path": o.path} for o in records[1:]]
        s.execute(insert(RoundTarget), rows)
        refs = s.execute(text("SELECT id FROM survey_round_targets WHERE round_id = :r"), {"r": round_.id}).scalars()
        s.execute(insert(Result), [{"round_id": round_.id, "target_ref": ref, "n": 5, "ratings": 25,
                                    "rating_sum": 100.0, "dimensions": {}, "parts": None,
                                    "score": rng.randint(50, 100) * 1.0, "grade": "合格", "suppressed": False,
                                    "suppression": None} for ref in refs])
    with service.db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_scores (org_id INTEGER, score FLOAT, rnk INTEGER)"))
        conn.execute(text("ANALYZE"))


def bench_scorecards(ctx: Context) -> list[Figure]:
    from services.survey import service
    from services.survey.scorecards import computing
    from shared.settings import load

    orgs = ctx.size(1_000, 100)
    url, drop = _database(ctx)
    try:
        env = environ_for_test(ctx.workdir, {"survey": url}, ctx.backend)
        settings = load({**env, "XIANFENG_LOG_LEVEL": "WARNING"})
        service.migrate(settings)
        service.start(settings, sender=RecordingSender())
        _year_of_data(service, orgs)
        bare = text(_bare_sql())
        baseline = []
        for _ in range(3):
            with service.db.engine.begin() as conn, stopwatch() as wall:
                conn.execute(text("DELETE FROM bench_scores"))
                conn.execute(bare, {"year": YEAR})
            baseline.append(wall[0])
        runs = []
        for _ in range(3):
            with stopwatch() as wall:
                scored = computing.run(service.unit_of_work, date(YEAR, 12, 31).year)
            runs.append(wall[0])
        service.runtime.db.dispose()
    finally:
        drop()
    value, base = min(runs), min(baseline)
    return [Figure(BENCH, f"scorecards of {scored:,} orgs from a year of facts (inline, exact)", value, "s", base,
                   "bare SQL INSERT … SELECT", "ratio <= 3", value / base <= 3, extra={"orgs": scored})]


def run(ctx: Context) -> list[Figure]:
    return bench_scorecards(ctx)
