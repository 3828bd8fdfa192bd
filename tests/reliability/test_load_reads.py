"""Reads while an import and an aggregation run in real workers (issue 8, #11).

Pledge and survey serve reads from threaded servers while a real pledge worker imports 10,000 people
and a real survey worker aggregates a closed round.  Asserted: every read answers 200 (no failure, no
5xx); the reads go on for as long as the work runs and at least until 21 are in, however fast or slow
the machine.  The read p99, idle and under work, is printed (run with ``-s``); timings are judged in
``bench/load.py``, never here.
"""

from __future__ import annotations

import dataclasses
import io
import threading
import time
from dataclasses import dataclass, field

import httpx
import pytest

from shared.testing.processes import wait_for

from .test_load_ballots import group

pytestmark = pytest.mark.e2e  # real worker processes

READERS = 4
MIN_READS = 21  # the busy phase reads for as long as the work runs, and at least this many times


@dataclass
class Reads:
    """Threads reading ``urls`` round-robin until stopped; statuses and latencies."""

    base_urls: list[str]
    headers: dict
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, seconds: float | None = None) -> Reads:
        pool = [threading.Thread(target=self._reader, args=(i,)) for i in range(READERS)]
        for t in pool:
            t.start()
        if seconds is not None:
            time.sleep(seconds)
            self.stop.set()
        self.pool = pool
        return self

    def join(self, at_least: int = 0, timeout: float = 120.0) -> Reads:
        """Stop reading, but not before ``at_least`` reads are in (a fast machine may finish the
        background work before many reads were made; the reads go on until there are enough)."""
        wait_for(lambda: len(self.latencies) >= at_least, timeout, interval=0.05, what=f"{at_least} reads")
        self.stop.set()
        for t in self.pool:
            t.join()
        return self

    def _reader(self, i: int) -> None:
        with httpx.Client(timeout=30, headers=self.headers) as http:
            n = i
            while not self.stop.is_set():
                url = self.base_urls[n % len(self.base_urls)]
                n += 1
                start = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError as exc:
                    status = f"{type(exc).__name__}"
                self.latencies.append(time.perf_counter() - start)
                if status != 200:
                    self.failures.append(f"{url}: {status}")

    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(len(ordered) * 0.99)] * 1000 if ordered else float("nan")


def people_csv(n: int) -> bytes:
    rows = "".join(f"P{i:06d},员工{i},ZL{i % 5},{'是' if i % 3 == 0 else '否'}\n" for i in range(n))
    return ("employee_no,name,org_code,party_member\n" + rows).encode()


def test_reads_do_not_fail_while_an_import_and_an_aggregation_run(services, live_settings, workers, sent, serve,
                                                                   auth_headers):
    from services.survey.models import directory

    unlimited = dataclasses.replace(live_settings, survey_rate_limit_enabled=False)  # 600 ballot calls, one client

    pledge, survey = services["pledge"], services["survey"]
    survey.start(unlimited, sender=sent)  # the round's invitations (tokens) recorded, not sent
    with survey.db.session() as s:
        from shared.directory import apply

        apply(s, directory, group())
    admin = auth_headers("admin")
    survey_client = survey.create_app(unlimited).test_client()
    round_id = _round_with_answers(survey_client, sent, admin, ballots=300)

    pledge_worker, survey_worker = workers("pledge", concurrency=1), workers("survey", concurrency=1)
    assert pledge_worker and survey_worker
    pledge_client = pledge.create_app(live_settings).test_client()
    for b in range(5):
        pledge_client.post("/api/v1/orgs", json={"code": f"ZL{b}", "name": f"支部{b}", "kind": "branch"},
                           headers=admin)
    pledge_base, survey_base = serve(pledge.create_app(live_settings)), serve(survey.create_app(live_settings))
    urls = [f"{pledge_base}/api/v1/orgs?page_size=50", f"{pledge_base}/api/v1/people?page_size=50",
            f"{survey_base}/api/v1/rounds/{round_id}", f"{survey_base}/api/v1/rounds/{round_id}/progress"]

    idle = Reads(urls, admin).run(seconds=2).join()
    busy = Reads(urls, admin).run()
    job = pledge_client.post("/api/v1/directory/import", headers=admin, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(people_csv(10_000)), "people.csv")}).get_json()["job_id"]
    assert survey_client.post(f"/api/v1/rounds/{round_id}/close", headers=admin).status_code == 200
    try:
        wait_for(lambda: pledge_client.get(f"/api/v1/jobs/{job}", headers=admin).get_json()["state"] == "done",
                 180, interval=0.5, what="import done")
        wait_for(lambda: survey_client.get(f"/api/v1/rounds/{round_id}", headers=admin).get_json()["state"]
                 == "results_ready", 180, interval=0.5, what="aggregation done")
        during = len(busy.latencies)
    finally:
        busy.join(at_least=MIN_READS)
    print(f"\nreads: idle p99 {idle.p99_ms():.0f} ms over {len(idle.latencies)}; during import + aggregation "
          f"p99 {busy.p99_ms():.0f} ms over {len(busy.latencies)} ({during} while the work ran)")
    assert not idle.failures and not busy.failures, (idle.failures + busy.failures)[:10]
    assert during > 0 and len(busy.latencies) >= MIN_READS


def _round_with_answers(client, sent, admin: dict, ballots: int) -> int:
    from datetime import timedelta

    from shared.db import utcnow

    body = {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": 2,
            "closes_at": (utcnow() + timedelta(hours=48)).isoformat(), "settings": {}}
    round_id = client.post("/api/v1/rounds", json=body, headers=admin).get_json()["id"]
    assert client.post(f"/api/v1/rounds/{round_id}/open", headers=admin).status_code == 200
    tokens = [item["link"].rsplit("/b/", 1)[1] for p in sent.of("notify.send") for item in p["items"]]
    for token in tokens[:ballots]:
        ballot = client.get(f"/api/v1/ballots/{token}").get_json()
        answers = [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d, "score": 4}
                   for t in ballot["targets"] for d in t["dimensions"]]
        assert client.post(f"/api/v1/ballots/{token}", json={"answers": answers}).status_code == 201
    return round_id
