"""One campaign year of a small demo group on the processes of ``xianfeng run``: real tokens, real workers, the
embedded broker (or PostgreSQL + Redis on the services backend), ballots answered partly in headless Chromium,
the nightly run as ``xianfeng daily --date`` — then Ctrl-C and nothing left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import date
from fractions import Fraction
from pathlib import Path

import httpx
import pytest
from deploy.helpers import free_port

from shared.campaign import Api, Year, inbox, next_quarter_start, play, read_coverage, read_scorecards
from shared.settings import load
from shared.testing.databases import BACKEND, environ_for_test, on_postgres
from shared.testing.processes import processes_using, wait_for
from shared.testing.serving import launch_chromium

pytestmark = [pytest.mark.e2e, pytest.mark.browser]



class Run:
    """``xianfeng run`` as a subprocess on free ports with a data dir of its own."""

    def __init__(self, tmp_path: Path, database_urls: dict[str, str] | None) -> None:
        self.data_dir, self.log_path = tmp_path / "xf-campaign", tmp_path / "run.log"
        ports = {name: free_port() for name in ("pledge", "survey", "notify")}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_")}
        self.env.update({f"XIANFENG_{name.upper()}_PORT": str(port) for name, port in ports.items()})
        self.env.update(XIANFENG_DATA_DIR=str(self.data_dir), XIANFENG_WEB_WORKERS="1",
                        XIANFENG_WORKER_CONCURRENCY="1",
                        # every "phone" of this test is 127.0.0.1: two years of ballots would pass 300/min per address
                        XIANFENG_SURVEY_BALLOT_RATE_LIMIT="3000/minute")
        if database_urls is not None:  # services/rabbitmq backend: fresh PostgreSQL databases, a private prefix
            self.env.update(environ_for_test(self.data_dir, database_urls))
            del self.env["XIANFENG_ENV"]
        self.process: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "shared.cli", "run"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._ready, 90, interval=0.5, what="three /readyz 200")

    def _ready(self) -> bool:
        assert self.process.poll() is None, self.log()
        try:
            return all(httpx.get(url + "/readyz", timeout=2).status_code == 200 for url in self.urls.values())
        except httpx.HTTPError:
            return False

    def daily(self, day: date) -> dict:
        """``xianfeng daily --date`` with the run's settings, as the scheduler would run it that night."""
        done = subprocess.run([sys.executable, "-m", "shared.cli", "daily", "--date", day.isoformat()], env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C
        return self.process.wait(60)


@pytest.fixture
def run(tmp_path, test_databases):
    started = Run(tmp_path, test_databases.fresh(tmp_path) if on_postgres(BACKEND) else None)
    started.start()
    yield started
    if started.process.poll() is None:
        started.interrupt()


@contextmanager
def phone():
    """A function answering a ballot page in headless Chromium (a phone-sized window): 较好 on every question;
    the headline of each thank-you page, and the text of each ballot's pages (one string per ballot)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        headlines: list[str] = []
        texts: list[str] = []

        def answer(url: str) -> None:
            page.goto(url)
            seen = []
            while page.locator("#target").count():
                seen.append(page.inner_text("body"))
                for radio in page.locator("input[type=radio][value='4']").all():
                    radio.check()
                last = page.locator("button[value='submit']")
                (last if last.count() else page.locator("button[value='next']")).click()
            headlines.append(page.inner_text("#headline"))
            texts.append("\n".join(seen))

        yield answer, headlines, texts
        browser.close()


def categories(api: Api, person_id: int) -> Counter:
    return Counter(item["category"] for item in inbox(api, person_id))


def check_pledges(api: Api, year: Year) -> None:
    assert {p["state"] for p in year.pledges.values()} == {"published"}
    history = api.call("GET", "pledge", f"/api/v1/pledges/{year.pledges[year.returned]['id']}/history")
    actions = [(t["action"], t["to_state"]) for t in history["transitions"]]
    assert actions[:4] == [("create", "draft"), ("submit", "submitted"), ("return", "returned"), ("edit", "returned")]
    assert actions[4:] == [("submit", "submitted"), ("approve", "approved"), ("publish", "published"),
                           ("progress", "published")]
    revised = api.call("GET", "pledge", f"/api/v1/pledges/{year.pledges[year.revised]['id']}/history")
    assert [v["version"] for v in revised["versions"]] == [1, 2]
    assert [t["to_state"] for t in revised["transitions"] if t["version"] == 2] == ["submitted", "approved",
                                                                                    "published"]


def check_rounds(api: Api, year: Year, headlines: list[str], texts: list[str]) -> None:
    group = year.group
    # leadership: per branch its 2 committee members rate each other and its 4 other party members the team
    ballots = {"three_way": 40, "pledge_evaluation": 40, "leadership": 24}
    assert {kind: r["ballots"] for kind, r in year.rounds.items()} == ballots
    assert headlines == ["感谢参与"] * 6 and {k: len(v) for k, v in year.on_page.items()} == dict.fromkeys(ballots, 2)
    for kind, r in year.rounds.items():
        progress = api.call("GET", "survey", f"/api/v1/rounds/{r['id']}/progress")
        assert progress["issued"] == progress["used"] == ballots[kind]
    # 三服务 on the phone: the first page ballots (three_way's) are of ZL1's people, who rate their branch
    # against its targets; those of the other rounds show none
    zl1 = year.service_targets["org:ZL1"]
    three_way_pages, other_pages = texts[:2], texts[2:]
    assert all(zl1["title"] in text and zl1["content"] in text for text in three_way_pages), three_way_pages[0][:2000]
    assert not any(t["title"] in text for t in year.service_targets.values() for text in other_pages)
    three_way = Counter(x["target_type"] for x in year.results["three_way"])
    assert three_way == {"person": 24, "branch": 4, "committee": 2}  # 6 members a branch, 4 branches, 2 committees
    pledge_results = {x["target_id"]: x for x in year.results["pledge_evaluation"]}
    assert set(pledge_results) == {p["id"] for p in year.pledges.values()}
    for row in year.results["three_way"] + year.results["pledge_evaluation"]:
        assert not row["suppressed"] and row["n"] >= 3 and 60 <= row["score"] <= 100 and row["grade"], row
    leadership = Counter((x["target_type"], x["suppressed"]) for x in year.results["leadership"])
    assert leadership == {("leader", True): 8, ("team", False): 4}  # a leader has one peer: too few raters
    # the ledger of the root: every published pledge with its 评诺 score, as survey computed it
    assert {r["pledge_id"]: (r["evaluation_score"], r["evaluation_grade"]) for r in year.ledger} == {
        pid: (x["score"], x["grade"]) for pid, x in pledge_results.items()}
    assert next(r for r in year.ledger if r["pledge_id"] == year.pledges[year.revised]["id"])["version"] == 2
    for code in ("ZL1", "ZL2", "JH1", "JH2"):
        secretary = group.secretary(code)["id"]
        assert categories(api, secretary)["results"] == 3  # one per round
        invites = [i["link"] for i in year.inboxes[secretary] if i["category"] == "survey_invite"]
        assert len(invites) == 3 and all(link.rsplit("/b/", 1)[1] for link in invites)


def check_nightly(api: Api, year: Year, run: Run) -> None:
    group, day = year.group, year.day
    first = run.daily(day)
    # coverage: the weekly nudge to the four branch secretaries; scorecard_facts: the 7 orgs' facts to survey
    assert first["pledge"] == {"pledge_due": 1, "lookback": 4, "coverage": 4, "scorecard_facts": 7,
                               "zone_check": 0, "post_ending": 0}
    assert first["notify"]["political_birthdays"] == {"celebrants": 4, "greetings_sent": 4,
                                                      "secretary_lists_sent": 4}
    due_pledger = group.branch_people("ZL1")[3]["id"]
    celebrants = [group.branch_people(code)[5]["id"] for code in ("ZL1", "ZL2", "JH1", "JH2")]
    secretaries = [group.secretary(code)["id"] for code in ("ZL1", "ZL2", "JH1", "JH2")]
    wait_for(lambda: categories(api, due_pledger)["pledge_due"] == 1, 60, interval=0.5, what="pledge_due reminder")
    for pid in celebrants + secretaries:  # a greeting, and the secretaries' heads-up
        wait_for(lambda p=pid: categories(api, p)["political_birthday"] == 1, 60, interval=0.5,
                 what=f"political_birthday in {pid}'s inbox")
    for pid in celebrants + secretaries + [due_pledger]:  # lookback: party members of orgs with published pledges
        wait_for(lambda p=pid: categories(api, p)["lookback"] == 1, 60, interval=0.5, what=f"lookback for {pid}")
    for pid in secretaries:  # the weekly coverage nudge: each branch secretary's gaps
        wait_for(lambda p=pid: categories(api, p)["coverage"] == 1, 60, interval=0.5, what=f"coverage for {pid}")
    greeting = next(i for i in inbox(api, celebrants[0]) if i["category"] == "political_birthday")
    assert "10" in greeting["subject"] + greeting["body"]  # joined ten years before the day
    before = {p["id"]: categories(api, p["id"]) for p in group.people.values()}
    second = run.daily(day)
    assert second["pledge"] == {"pledge_due": 0, "lookback": 0, "coverage": 0, "scorecard_facts": 7,
                                "zone_check": 0, "post_ending": 0}  # the facts are a snapshot, sent nightly
    assert second["notify"]["political_birthdays"]["greetings_sent"] == 0
    assert second["notify"]["political_birthdays"]["secretary_lists_sent"] == 0
    time.sleep(2)  # anything sent twice would have reached the notify worker by now
    assert {p["id"]: categories(api, p["id"]) for p in group.people.values()} == before
    assert [categories(api, pid)["coverage"] for pid in secretaries] == [1] * 4  # once a week, replays or not
    leap_born = group.branch_people("ZL1")[4]["id"]  # joined on 29 February: greeted on 28 February
    feb28 = date(day.year + (day.year % 4 == 0), 2, 28)
    assert run.daily(feb28)["notify"]["political_birthdays"]["greetings_sent"] == 1
    wait_for(lambda: categories(api, leap_born)["political_birthday"] == 1, 60, interval=0.5,
             what="a 29 February member's greeting on 28 February")


# the year's scorecard settings, set by the test: every figure below is recomputed from these
WEIGHTS = {"pledges": 3, "pledge_evaluation": 2, "three_way": 2, "leadership": 1, "inspections": 1,
           "quarterly_comments": 1, "demo_sites": 1, "contacts": 1}
BOUNDS = {"优秀": 90, "良好": 80, "合格": 70}


def expected_grade(score: Fraction) -> str:
    return next((g for g, b in sorted(BOUNDS.items(), key=lambda x: -x[1]) if score >= b), "不合格")


def check_scorecards(year: Year) -> None:
    """The scorecards of the campaign's year against the parts recomputed here from what the campaign did."""
    g, tenth = year.group, Fraction(1, 10)
    results = {kind: {(x["target_type"], x["target_id"]): x for x in rows} for kind, rows in year.results.items()}

    def completion(n: int, pledge: dict) -> Fraction:  # play() reported 完成率 40 + 5n on its n-th pledge, only that
        got = [min(Fraction(40 + 5 * n if t["name"] == "完成率" else 0) / Fraction(str(t["target"])), 1)
               for t in pledge["targets"]]
        return sum(got, Fraction(0)) / len(got) * 100

    def mean(values) -> Fraction:
        return sum(values, Fraction(0)) / len(values)

    expected = {}
    for code, oid in g.orgs.items():
        if code == "HG":
            continue
        branch = code in ("ZL1", "ZL2", "JH1", "JH2")
        own = [(n, label) for n, label in enumerate(year.pledges) if label.endswith(f":{code}")]
        three_way = results["three_way"][("branch" if branch else "committee", oid)]
        team = results["leadership"].get(("team", oid))
        expected[oid] = {
            "pledges": mean([completion(n, year.pledges[label]) for n, label in own]) if own else None,
            "pledge_evaluation": mean([Fraction(str(results["pledge_evaluation"][("pledge", year.pledges[label]["id"])]
                                                    ["score"])) for _, label in own]) if own else None,
            "three_way": Fraction(str(three_way["score"])),
            "leadership": Fraction(str(team["score"])) if team else None,  # a committee here has no people
            "inspections": None, "demo_sites": None, "contacts": None,  # none recorded
            "quarterly_comments": Fraction(0),  # the day's quarter has begun, without a 每季点评
        }
    cards = {c["org_id"]: c for c in year.scorecards}
    assert set(cards) == set(expected)
    assert {c["kind"] for c in cards.values()} == {"branch", "committee"}
    for oid, parts in expected.items():
        card = cards[oid]
        assert card["year"] == year.day.year and set(card["parts"]) == set(parts)
        for part, want in parts.items():
            got = card["parts"][part]
            assert (got is None) == (want is None), (card["name"], part, got, want)
            assert want is None or abs(Fraction(str(got)) - want) <= tenth / 2, (card["name"], part, got, want)
        present = {p: v for p, v in parts.items() if v is not None}  # renormalised over the parts with data
        score = sum((WEIGHTS[p] * v for p, v in present.items()), Fraction(0)) / sum(WEIGHTS[p] for p in present)
        assert abs(Fraction(str(card["score"])) - score) <= tenth, (card["name"], card["score"], float(score))
        if all(abs(score - b) > tenth for b in BOUNDS.values()):
            assert card["grade"] == expected_grade(score), (card["name"], card["grade"], float(score))
    for kind in ("branch", "committee"):  # competition ranks within the group, among orgs of a kind
        scores = [c["score"] for c in cards.values() if c["kind"] == kind]
        assert all(c["rank"] == 1 + sum(s > c["score"] for s in scores) for c in cards.values() if c["kind"] == kind)


def test_one_campaign_year_end_to_end(run):
    api = Api(run.urls, load(run.env).secret_key)
    day = next_quarter_start(date.today())  # a due pledge, political birthdays and the quarter's look-back
    with phone() as (answer_on_page, headlines, texts):
        year = play(api, day, say=print, on_page=answer_on_page, page_ballots=2)
    check_pledges(api, year)
    check_rounds(api, year, headlines, texts)
    api.call("PUT", "survey", f"/api/v1/scorecards/settings/{day.year}",
             json={"weights": WEIGHTS, "grade_bounds": BOUNDS})
    check_nightly(api, year, run)
    read_scorecards(api, year, print)
    read_coverage(api, year, print)
    check_scorecards(year)
    demo = subprocess.run([sys.executable, "-m", "shared.cli", "demo", "--date", day.isoformat()], env=run.env,
                          capture_output=True, text=True, timeout=180)  # a second year, as `xianfeng demo` plays it
    assert demo.returncode == 0 and "done: run `xianfeng daily" in demo.stdout, demo.stdout + demo.stderr[-3000:]
    assert "4. ledger and inboxes" in demo.stdout and "5. nightly run" in demo.stdout
    assert "三服务: 6 service targets" in demo.stdout and "四好 " in demo.stdout and "coverage: " in demo.stdout
    assert "opened leadership round" in demo.stdout and "httpx" not in demo.stdout + demo.stderr
    assert run.interrupt() == 0, run.log()
    wait_for(lambda: not processes_using(str(run.data_dir)), 15, what="no process left behind")
