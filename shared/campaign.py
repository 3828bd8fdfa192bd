"""One campaign year of a small demo group, played over HTTP against running services.

``xianfeng demo`` and the end-to-end test (tests/e2e/test_campaign.py) both call :func:`play`: import the
directory from an XLSX file, set carriers, pledge, review (one returned, revised and approved), publish,
report progress, run a look-back revision, set 三服务 service targets, open a three-way round (its ballots
show those targets), a 评诺 round and a leadership (好搭档/好助手) round, answer ballots (optionally some
through the phone page), close, wait for the results, read the ledger with scores and the inboxes; and,
given the nightly run as a function, run it and read the 四好 scorecards it recomputes and the coverage
nudge it sends.  Only the public contract is used (API.md); tokens are minted with the configured secret.
This module imports no service.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from shared import auth
from shared.testing.processes import wait_for

Say = Callable[[str], None]
OnPage = Callable[[str], None]  # answers the ballot page at that URL (e.g. in a browser)


class CampaignError(RuntimeError):
    """A step got an answer it did not expect."""


# --- the demo group -----------------------------------------------------------------------------------

ORGS = [  # code, name, kind, parent code
    ("HG", "集团党委", "committee", ""),
    ("ZL", "转炉厂党委", "committee", "HG"),
    ("JH", "焦化厂党委", "committee", "HG"),
    ("ZL1", "转炉厂炼钢一支部", "branch", "ZL"),
    ("ZL2", "转炉厂炼钢二支部", "branch", "ZL"),
    ("JH1", "焦化厂备煤支部", "branch", "JH"),
    ("JH2", "焦化厂炼焦支部", "branch", "JH"),
]
BRANCHES = ("ZL1", "ZL2", "JH1", "JH2")
# the demo's own org codes and employee numbers: the import upserts these alone, so a second run, or one on a data
# dir holding `xianfeng seed-demo`'s group (codes HG, U01 …) or orgs made by hand, touches nothing else
PREFIX = "XFDEMO-"
SURNAMES = "王李张刘陈杨黄赵周吴"
PEOPLE_PER_BRANCH = 10  # a secretary, a committee member, four members, four employees


def people_rows(day: date) -> list[dict[str, Any]]:
    """Ten people per branch; the fourth member of each branch joined the party on ``day``'s month and day,
    the third member of the first branch on 29 February."""
    rows = []
    for b, code in enumerate(BRANCHES):
        for i in range(PEOPLE_PER_BRANCH):
            member = i < 6
            joined = date(1995 + i, 3 + b, 10 + i) if member else None
            if member and i == 5:
                joined = date(day.year - 10 - b, day.month, day.day)
            if member and b == 0 and i == 4:
                joined = date(2004, 2, 29)
            roles = {0: "secretary", 1: "committee_member"}.get(i, "")
            rows.append({"employee_no": f"{PREFIX}E{b + 1}{i:02d}", "name": f"{SURNAMES[i]}{code}{i:02d}",
                         "org_code": PREFIX + code,
                         "party_member": "是" if member else "否",
                         "joined_party_on": joined.isoformat() if joined else "", "roles": roles,
                         "email": f"e{b + 1}{i:02d}@example.com", "phone": f"1380000{b + 1}{i:03d}"})
    return rows


def directory_xlsx(day: date) -> bytes:
    """The directory file (sheets ``orgs`` and ``people``, English headers) as the import endpoint takes it."""
    from openpyxl import Workbook

    book = Workbook()
    orgs = book.active
    orgs.title = "orgs"
    orgs.append(["code", "name", "kind", "parent_code"])
    for code, name, kind, parent in ORGS:
        orgs.append([PREFIX + code, name, kind, PREFIX + parent if parent else ""])
    people = book.create_sheet("people")
    columns = ["employee_no", "name", "org_code", "party_member", "joined_party_on", "roles", "email", "phone"]
    people.append(columns)
    for row in people_rows(day):
        people.append([row[c] for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- talking to the services --------------------------------------------------------------------------

@dataclass
class Api:
    """The three services' base URLs and the secret that signs our tokens."""

    urls: dict[str, str]
    secret: str
    timeout: float = 30.0
    retries: int = 5  # on 429 Too Many Requests
    client: httpx.Client = field(default_factory=httpx.Client)

    def token(self, *roles: str, sub: int | None = None, org: int | None = None) -> str:
        return auth.mint(self.secret, roles=roles, sub=None if sub is None else str(sub), org=org, ttl=3600)

    def call(self, method: str, service: str, path: str, *, as_: tuple = ("admin",), sub: int | None = None,
             org: int | None = None, expect: int = 200, **kwargs) -> Any:
        headers = {"Authorization": f"Bearer {self.token(*as_, sub=sub, org=org)}"}
        resp = self.client.request(method, self.urls[service] + path, headers=headers, timeout=self.timeout, **kwargs)
        for _ in range(self.retries):  # every ballot of the demo comes from one address: wait as told, then again
            if resp.status_code != 429:
                break
            time.sleep(min(float(resp.headers.get("Retry-After") or 1), 60.0))
            resp = self.client.request(method, self.urls[service] + path, headers=headers, timeout=self.timeout,
                                       **kwargs)
        if resp.status_code != expect:
            raise CampaignError(f"{method} {service}{path} → {resp.status_code} (wanted {expect}): {resp.text[:500]}")
        return resp.json() if resp.content and resp.headers.get("content-type", "").startswith("application/json") \
            else resp.content

    def items(self, service: str, path: str, **kwargs) -> list[dict]:
        sep = "&" if "?" in path else "?"
        return self.call("GET", service, f"{path}{sep}page_size=500", **kwargs)["items"]

    def every(self, service: str, path: str, **kwargs) -> list[dict]:
        """Every item of a listing, page after page (a directory may hold more than one page)."""
        sep, got, page = "&" if "?" in path else "?", [], 1
        while True:
            body = self.call("GET", service, f"{path}{sep}page_size=500&page={page}", **kwargs)
            got += body["items"]
            if not body["items"] or len(got) >= body["total"]:
                return got
            page += 1


@dataclass
class Group:
    """Ids the services gave the demo group."""

    orgs: dict[str, int]  # code → id
    people: dict[str, dict]  # employee_no → person

    def branch_people(self, code: str) -> list[dict]:
        return sorted((p for p in self.people.values() if p["org_id"] == self.orgs[code]),
                      key=lambda p: p["employee_no"])

    def secretary(self, code: str) -> dict:
        return self.branch_people(code)[0]


@dataclass
class Year:
    """What one campaign year produced, for the caller to read or check."""

    day: date
    group: Group | None = None
    carriers: dict[str, dict] = field(default_factory=dict)
    pledges: dict[str, dict] = field(default_factory=dict)  # label → pledge as last answered
    returned: str = ""
    revised: str = ""
    rounds: dict[str, dict] = field(default_factory=dict)  # kind → round
    tokens: dict[str, dict[int, str]] = field(default_factory=dict)  # kind → person id → ballot token
    on_page: dict[str, list[int]] = field(default_factory=dict)  # kind → people who answered on the page
    results: dict[str, list[dict]] = field(default_factory=dict)  # kind → result rows
    ledger: list[dict] = field(default_factory=list)
    inboxes: dict[int, list[dict]] = field(default_factory=dict)
    daily_work: dict[str, Any] = field(default_factory=dict)  # zone, post, volunteering totals, suggestion
    service_targets: dict[str, dict] = field(default_factory=dict)  # label ("org:ZL1", "person:ZL1") → target
    nightly: dict[str, Any] = field(default_factory=dict)  # what `xianfeng daily --date day` reported
    scorecards: list[dict] = field(default_factory=list)  # the 四好 scorecards of the day's year
    coverage: dict[str, Any] = field(default_factory=dict)  # the group root's coverage


def next_quarter_start(day: date) -> date:
    """The first day of the quarter after ``day``'s (a look-back reminder day)."""
    month = (day.month - 1) // 3 * 3 + 4
    return date(day.year + 1, 1, 1) if month > 12 else date(day.year, month, 1)


def _quiet(_: str) -> None:
    return None


# --- 1. the directory ---------------------------------------------------------------------------------

def import_directory(api: Api, year: Year, say: Say, timeout: float = 60,
                     mirrors: tuple[str, ...] = ("survey", "notify")) -> Group:
    """The demo's orgs and people into pledge, then the same directory seen by each of ``mirrors``."""
    job = api.call("POST", "pledge", "/api/v1/directory/import", expect=202,
                   files={"file": ("directory.xlsx", directory_xlsx(year.day),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    done = wait_for(lambda: (j := api.call("GET", "pledge", f"/api/v1/jobs/{job['job_id']}"))["state"]
                    in ("done", "failed") and j, timeout, interval=0.3, what="directory import job")
    if done["state"] != "done" or done["errors"]:
        raise CampaignError(f"directory import: {done}")
    orgs = {o["code"].removeprefix(PREFIX): o["id"] for o in api.every("pledge", "/api/v1/orgs")
            if o["code"].startswith(PREFIX)}
    people = {p["employee_no"]: p for p in api.every("pledge", f"/api/v1/people?org_id={orgs['HG']}&subtree=1")
              if p["employee_no"].startswith(PREFIX)}
    say(f"imported {len(ORGS)} orgs and {len(people)} people (job {job['job_id']}: {done['done']} rows)")
    everyone = {"orgs": api.call("GET", "pledge", "/api/v1/orgs?page_size=1")["total"],
                "people": api.call("GET", "pledge", "/api/v1/people?page_size=1")["total"]}
    for name in mirrors:
        wait_for(lambda n=name: api.call("GET", n, "/api/v1/directory/status") == everyone,
                 timeout, interval=0.3, what=f"the directory in {name}")
        say(f"{name} holds the same directory ({everyone['orgs']} orgs, {everyone['people']} people)")
    return Group(orgs, people)


# --- 2. carriers and pledges --------------------------------------------------------------------------

def set_carriers(api: Api, year: Year, say: Say) -> None:
    g = year.group
    start = date(year.day.year - 1 if year.day.month == 1 else year.day.year, 1, 1)
    overall = api.call("POST", "pledge", "/api/v1/carriers", expect=201, json={
        "title": "钢铁先锋", "org_id": g.orgs["HG"], "period_kind": "year", "period_start": start.isoformat(),
        "themes": ["学先进", "拓市场", "谋发展", "促和谐"]})
    specific = api.call("POST", "pledge", "/api/v1/carriers", as_=("org_admin",), org=g.orgs["ZL"], expect=201,
                        json={"title": "转炉降本增效先锋岗", "org_id": g.orgs["ZL"], "parent_id": overall["id"],
                              "period_kind": "year", "period_start": start.isoformat(), "themes": ["拓市场"]})
    year.carriers = {"overall": overall, "specific": specific}
    say(f"carriers: {overall['title']} (group) and {specific['title']} (转炉厂)")


def _pledge_body(year: Year, pledger_type: str, pledger_id: int, title: str, due_on: date, carrier: str) -> dict:
    org = pledger_type == "org"
    return {"pledger_type": pledger_type, "pledger_id": pledger_id, "title": title,
            "category": "key_tasks" if org else "first_class_results",
            "content": f"{title}，按月报告进展。",
            "audiences": ["上级党委", "党员", "群众"] if org else ["支部", "群众"],
            "targets": [{"name": "完成率", "unit": "%", "target": 100, "due_on": due_on.isoformat()}],
            "due_on": due_on.isoformat(), "carrier_id": year.carriers[carrier]["id"],
            "historical": due_on <= date.today() + timedelta(days=1)}  # a `demo --date` in the past


def make_pledges(api: Api, year: Year, say: Say) -> None:
    """Each branch pledges as an org (its admin) and its fourth member as a person; then both submit."""
    g, later = year.group, year.day + timedelta(days=60)
    for code in BRANCHES:
        carrier = "specific" if code.startswith("ZL") else "overall"
        org_id, member = g.orgs[code], g.branch_people(code)[3]
        due = year.day if code == "ZL1" else later  # the person pledge of ZL1 falls due on the day
        org_pledge = api.call("POST", "pledge", "/api/v1/pledges", as_=("org_admin",), org=org_id, expect=201,
                              json=_pledge_body(year, "org", org_id, f"{code} 吨钢成本降低 2%", later, carrier))
        own = api.call("POST", "pledge", "/api/v1/pledges", as_=("member",), sub=member["id"], expect=201,
                       json=_pledge_body(year, "person", member["id"], f"{member['name']} 岗位创一流", due, carrier))
        for label, p, who in ((f"org:{code}", org_pledge, {"as_": ("org_admin",), "org": org_id}),
                              (f"person:{code}", own, {"as_": ("member",), "sub": member["id"]})):
            year.pledges[label] = api.call("POST", "pledge", f"/api/v1/pledges/{p['id']}/submit", json={}, **who)
    say(f"{len(year.pledges)} pledges drafted and submitted (org pledges of 4 branches, one member each)")


def _pledger(year: Year, label: str) -> dict:
    kind, code = label.split(":")
    if kind == "org":
        return {"as_": ("org_admin",), "org": year.group.orgs[code]}
    return {"as_": ("member",), "sub": year.group.branch_people(code)[3]["id"]}


def _reviewer(year: Year, label: str) -> dict:
    """An org's pledge: an admin of the parent committee; a person's: the branch secretary."""
    kind, code = label.split(":")
    if kind == "org":
        return {"as_": ("org_admin",), "org": year.group.orgs[code[:2]]}
    return {"as_": ("member",), "sub": year.group.secretary(code)["id"]}


def _act(api: Api, year: Year, label: str, action: str, body: dict, by: dict, expect: int = 200) -> dict:
    pid = year.pledges[label]["id"]
    answer = api.call("POST", "pledge", f"/api/v1/pledges/{pid}/{action}", json=body, expect=expect, **by)
    if expect == 200:
        year.pledges[label] = answer
    return answer


def review_and_publish(api: Api, year: Year, say: Say) -> None:
    year.returned = "org:JH1"
    _act(api, year, year.returned, "review", {"decision": "return", "comment": "指标不够量化，请补充"},
         _reviewer(year, year.returned))
    say(f"returned {year.returned}: 指标不够量化")
    pid = year.pledges[year.returned]["id"]
    year.pledges[year.returned] = api.call("PATCH", "pledge", f"/api/v1/pledges/{pid}", **_pledger(year, year.returned),
                                           json={"targets": [{"name": "完成率", "unit": "%", "target": 100},
                                                             {"name": "焦炭合格率", "unit": "%", "target": 99.5}]})
    _act(api, year, year.returned, "submit", {}, _pledger(year, year.returned))
    for label in year.pledges:
        _act(api, year, label, "review", {"decision": "approve", "comment": "同意"}, _reviewer(year, label))
        _act(api, year, label, "publish", {"channels": ["board", "meeting", "intranet"]}, _pledger(year, label))
    say(f"approved and published {len(year.pledges)} pledges ({year.returned} after its revision)")


def report_progress(api: Api, year: Year, say: Say) -> None:
    for n, label in enumerate(year.pledges):
        _act(api, year, label, "progress", {"note": "按计划推进", "values": {"完成率": 40 + 5 * n},
                                            "evidence_url": "https://intranet.example.com/evidence/1"},
             _pledger(year, label), expect=201)
    say(f"progress reported on {len(year.pledges)} pledges")


def lookback(api: Api, year: Year, say: Say) -> None:
    """回头看: the org pledge of ZL2 is revised (version 2), reviewed again and republished."""
    year.revised = label = "org:ZL2"
    _act(api, year, label, "revise", {"reason": "回头看：目标上调", "title": "ZL2 吨钢成本降低 3%"},
         _pledger(year, label))
    _act(api, year, label, "review", {"decision": "approve", "comment": "同意上调"}, _reviewer(year, label))
    _act(api, year, label, "publish", {"channels": ["board", "meeting", "intranet"]}, _pledger(year, label))
    say(f"look-back: {label} is now version {year.pledges[label]['version']}, {year.pledges[label]['state']}")


def daily_work(api: Api, year: Year, say: Say) -> None:
    """在日常工作中: a 5S zone with its first check, a 党员先锋岗, a volunteer activity, a 一助一 pair, and an
    employee's anonymous suggestion answered by the branch secretary.  Nothing here falls due on ``year.day``
    (the zone is checked half-yearly, the post has no end), so the nightly reminders stay those of the pledges."""
    orgs, today = year.group.orgs, date.today().isoformat()
    zl1, jh2 = year.group.branch_people("ZL1"), year.group.branch_people("JH2")
    zone = api.call("POST", "pledge", "/api/v1/zones", expect=201, json={
        "org_id": orgs["JH2"], "name": "炼焦炉台5S党员责任区", "kind": "five_s", "check_every_days": 180,
        "holder_ids": [jh2[2]["id"], jh2[3]["id"]]})
    api.call("POST", "pledge", f"/api/v1/zones/{zone['id']}/checks", expect=201, json={
        "checked_on": today, "results": dict.fromkeys(zone["guarantees"], True), "note": "五项保证全部做到"})
    post = api.call("POST", "pledge", "/api/v1/posts", expect=201, json={
        "org_id": orgs["ZL1"], "title": "转炉炉长党员先锋岗", "kind": "vanguard_post", "holder_id": zl1[2]["id"],
        "since": today})
    api.call("POST", "pledge", "/api/v1/volunteering", expect=201, json={
        "org_id": orgs["JH"], "title": "党员志愿者进社区", "kind": "community", "on": today, "hours": 3,
        "person_ids": [jh2[2]["id"], jh2[4]["id"], year.group.branch_people("JH1")[2]["id"]]})
    api.call("POST", "pledge", "/api/v1/mentorships", expect=201, json={
        "mentor_id": zl1[2]["id"], "mentee_id": zl1[7]["id"], "skill": "转炉炉前操作", "since": today})
    suggestion = api.call("POST", "pledge", "/api/v1/suggestions", as_=("member",), sub=zl1[8]["id"], expect=201,
                          json={"org_id": orgs["ZL1"], "content": "夜班交接缺少安全确认环节", "anonymous": True})
    answered = api.call("POST", "pledge", f"/api/v1/suggestions/{suggestion['id']}/answer", as_=("member",),
                        sub=zl1[0]["id"], json={"decision": "answer", "reply": "已增加交接确认单"})
    totals = api.call("GET", "pledge", f"/api/v1/volunteering?org_id={orgs['JH']}&subtree=1")["totals"]
    year.daily_work = {"zone": api.call("GET", "pledge", f"/api/v1/zones/{zone['id']}"), "post": post,
                       "volunteering": totals, "suggestion": answered}
    say(f"daily work: zone {zone['id']} checked ({zone['days_without_incident']} days without incident), "
        f"post {post['id']} on duty, {totals['hours']:g} volunteer hours, suggestion {answered['state']} "
        f"(author {answered['author_id']})")


def campaign_period(year: Year) -> tuple[date, date]:
    """The period the year's service targets and rounds are for: the calendar year of ``year.day`` (the
    scorecards the nightly run of that day recomputes), whatever year the rounds close in."""
    return date(year.day.year, 1, 1), date(year.day.year, 12, 31)


def set_service_targets(api: Api, year: Year, say: Say) -> None:
    """三服务, set downward for the rounds' year: 转炉厂党委 for its branches, each branch for its members,
    the fourth member of ZL1 for the employees of the branch (those three kinds are 三测评 targets)."""
    g, start = year.group, campaign_period(year)[0].isoformat()
    wanted = [("org:ZL", "org", g.orgs["ZL"], "branches", "党委委员每月到联系支部现场办公", "帮助支部解决生产难题")]
    wanted += [(f"org:{code}", "org", g.orgs[code], "members", f"{code} 每季为党员办一件实事", "听取党员意见，落实到人")
               for code in BRANCHES]
    member = g.branch_people("ZL1")[3]
    wanted.append(("person:ZL1", "person", member["id"], "employees", "帮带身边员工掌握炉前操作", "每周一次现场讲解"))
    for label, kind, provider_id, beneficiaries, title, content in wanted:
        held = [t for t in api.items("pledge", f"/api/v1/service-targets?provider_type={kind}&provider_id="
                                               f"{provider_id}&period_start={start}") if t["title"] == title]
        year.service_targets[label] = held[0] if held else api.call(  # a second run keeps the first run's targets
            "POST", "pledge", "/api/v1/service-targets", expect=201, json={
                "provider_type": kind, "provider_id": provider_id, "period_kind": "year", "period_start": start,
                "title": title, "content": content, "beneficiaries": beneficiaries})
    say(f"三服务: {len(wanted)} service targets for {start[:4]} (转炉厂党委 → its branches, 4 branches → their "
        f"members, {member['name']} → the employees around them)")


# --- 3. rounds and ballots ----------------------------------------------------------------------------

def open_round(api: Api, year: Year, kind: str, title: str, say: Say) -> dict:
    closes, (start, end) = datetime.now(UTC) + timedelta(days=2), campaign_period(year)
    made = api.call("POST", "survey", "/api/v1/rounds", expect=201, json={
        "kind": kind, "title": title, "root_org_id": year.group.orgs["HG"], "closes_at": closes.isoformat(),
        "settings": {"min_group": 3, "period_start": start.isoformat(), "period_end": end.isoformat()}})
    opened = api.call("POST", "survey", f"/api/v1/rounds/{made['id']}/open")
    year.rounds[kind] = {**made, **opened}
    say(f"opened {kind} round {made['id']} 「{title}」 with {opened['ballots']} ballots")
    return year.rounds[kind]


def inbox(api: Api, person_id: int) -> list[dict]:
    return api.items("notify", f"/api/v1/inbox/{person_id}", as_=("member",), sub=person_id)


def invitation_tokens(api: Api, person_id: int) -> set[str]:
    return {i["link"].rsplit("/b/", 1)[-1] for i in inbox(api, person_id) if i["category"] == "survey_invite"}


def collect_invitations(api: Api, year: Year, kind: str, before: dict[int, set[str]], say: Say,
                        timeout: float = 90) -> None:
    """Every ballot's invitation in its holder's inbox: the invitation that was not there ``before`` the round
    opened; the token from its link."""
    round_ = year.rounds[kind]

    def invitations() -> dict[int, str] | None:
        found = {}
        for pid, held in before.items():
            new = invitation_tokens(api, pid) - held
            if len(new) > 1:
                raise CampaignError(f"person {pid} got {len(new)} invitations to one round")
            if new:
                found[pid] = new.pop()
        return found if len(found) >= round_["ballots"] else None

    year.tokens[kind] = wait_for(invitations, timeout, interval=1.0,
                                 what=f"{round_['ballots']} invitations of round {kind}")
    say(f"{len(year.tokens[kind])} invitations of the {kind} round arrived in the inboxes")


def answer_ballot(api: Api, token: str, rng: random.Random) -> None:
    ballot = api.call("GET", "survey", f"/api/v1/ballots/{token}")
    answers = [{"target_type": t["target_type"], "target_id": t["target_id"], "dimension": d,
                "score": rng.choice((3, 4, 4, 5, 5))} for t in ballot["targets"] for d in t["dimensions"]]
    api.call("POST", "survey", f"/api/v1/ballots/{token}", json={"answers": answers}, expect=201)


def answer_ballots(api: Api, year: Year, say: Say, on_page: OnPage | None, page_ballots: int) -> None:
    rng = random.Random(2026)
    for kind, tokens in year.tokens.items():
        for n, (pid, token) in enumerate(sorted(tokens.items())):
            if on_page is not None and n < page_ballots:
                on_page(f"{api.urls['survey']}/b/{token}")
                year.on_page.setdefault(kind, []).append(pid)
            else:
                answer_ballot(api, token, rng)
        say(f"{kind}: {len(tokens)} ballots answered ({len(year.on_page.get(kind, []))} on the phone page)")


def close_and_read(api: Api, year: Year, say: Say, timeout: float = 120) -> None:
    for r in year.rounds.values():
        api.call("POST", "survey", f"/api/v1/rounds/{r['id']}/close")
    for kind, r in year.rounds.items():
        year.rounds[kind] = wait_for(
            lambda i=r["id"]: (got := api.call("GET", "survey", f"/api/v1/rounds/{i}"))["state"] == "results_ready"
            and got, timeout, interval=0.5, what=f"results of round {r['id']}")
        year.results[kind] = api.items("survey", f"/api/v1/rounds/{r['id']}/results")
        scored = [x for x in year.results[kind] if not x["suppressed"]]
        best = max(scored, key=lambda x: x["score"]) if scored else None
        say(f"{kind}: {len(year.results[kind])} results, {len(scored)} published"
            + (f"; best {best['name']} {best['score']} {best['grade']}" if best else ""))


# --- 4. the ledger and the inboxes --------------------------------------------------------------------

def read_ledger(api: Api, year: Year, say: Say, timeout: float = 60) -> None:
    """The root's ledger once the 评诺 scores have come back to pledge."""
    scored = {x["target_id"] for x in year.results.get("pledge_evaluation", []) if not x["suppressed"]}

    def ledger() -> list[dict] | None:
        rows = api.items("pledge", f"/api/v1/orgs/{year.group.orgs['HG']}/ledger")
        return rows if all(r["evaluation_score"] is not None for r in rows if r["pledge_id"] in scored) else None

    year.ledger = wait_for(ledger, timeout, interval=0.5, what="evaluation scores in the ledger")
    for row in year.ledger:
        say(f"  台账 {row['org_name']} · {row['title']} v{row['version']} · 完成度 {row['completion']:.0%}"
            f" · 评诺 {row['evaluation_score']} {row['evaluation_grade'] or ''}")


def read_inboxes(api: Api, year: Year, say: Say) -> None:
    year.inboxes = {p["id"]: inbox(api, p["id"]) for p in year.group.people.values()}
    counts: dict[str, int] = {}
    for items in year.inboxes.values():
        for item in items:
            counts[item["category"]] = counts.get(item["category"], 0) + 1
    say("inboxes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


# --- 5. the nightly run: scorecards and the coverage nudge ----------------------------------------------

def _at(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def read_scorecards(api: Api, year: Year, say: Say, timeout: float = 90, since: datetime | None = None) -> None:
    """The 四好 scorecards of the day's year under the group, once the workers have composed them from
    pledge's facts (every branch with its pledges part; computed ``since`` that moment, given one)."""
    g = year.group
    ours = {oid for code, oid in g.orgs.items() if code != "HG"}  # the group ranks its committees and branches

    last: list[list[dict]] = [[]]

    def cards() -> list[dict] | None:
        last[0] = rows = [c for c in api.items("survey", f"/api/v1/scorecards?year={year.day.year}&org_id="
                                                         f"{g.orgs['HG']}") if c["org_id"] in ours]
        ready = len(rows) == len(ours) and all(c["parts"]["pledges"] is not None for c in rows if c["kind"] == "branch")
        ready = ready and (since is None or all(_at(c["computed_at"]) >= since for c in rows))
        return rows if ready else None

    try:
        year.scorecards = wait_for(cards, timeout, interval=0.5, what="the 四好 scorecards")
    except TimeoutError as exc:
        raise CampaignError(f"{exc}; the last answer: {[(c['name'], c['parts']) for c in last[0]]}") from None
    for c in sorted(year.scorecards, key=lambda c: (c["kind"], c["rank"] or 10**6)):
        present = sum(v is not None for v in c["parts"].values())
        say(f"  四好 {c['name']} ({c['kind']}) · {c['score']} {c['grade'] or ''} · rank {c['rank']}"
            f" · {present} of {len(c['parts'])} parts")


def read_coverage(api: Api, year: Year, say: Say, timeout: float = 60) -> None:
    """没有空白点: the group's gaps, and the weekly nudge in each branch secretary's inbox."""
    g = year.group
    year.coverage = api.call("GET", "pledge", f"/api/v1/orgs/{g.orgs['HG']}/coverage")
    secretaries = [g.secretary(code)["id"] for code in BRANCHES]
    wait_for(lambda: all(any(i["category"] == "coverage" for i in inbox(api, pid)) for pid in secretaries),
             timeout, interval=0.5, what="the coverage nudge in the branch secretaries' inboxes")
    totals = ", ".join(f"{k} {v}" for k, v in sorted(year.coverage["totals"].items()) if v)
    say(f"coverage: {len(year.coverage['gaps'])} gaps under the group ({totals or 'none'}); this week's nudge "
        f"is in the inboxes of {len(secretaries)} branch secretaries")


def nightly_run(api: Api, year: Year, say: Say, nightly: Callable[[date], dict]) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)  # the services' clock is this machine's
    year.nightly = nightly(year.day)
    pledge = year.nightly.get("pledge", {})
    say(f"nightly run of {year.day}: {pledge.get('coverage', 0)} coverage nudges, facts of "
        f"{pledge.get('scorecard_facts', 0)} orgs sent to survey, scorecards of {year.day.year} recomputed")
    read_scorecards(api, year, say, since=started)
    read_coverage(api, year, say)


ROUNDS = (("three_way", "年度三测评"), ("pledge_evaluation", "年度评诺"), ("leadership", "好搭档好助手测评"))


def play(api: Api, day: date, say: Say = _quiet, on_page: OnPage | None = None, page_ballots: int = 2,
         nightly: Callable[[date], dict] | None = None) -> Year:
    """The whole year; ``day`` is the date whose nightly run will find a due pledge and political birthdays.
    With ``nightly`` (``xianfeng daily --date`` as a function), the year ends with that run, the scorecards
    it recomputes and the coverage nudge it sends."""
    year = Year(day)
    say("1. directory")
    year.group = import_directory(api, year, say)
    say("2. carriers and pledges")
    set_carriers(api, year, say)
    set_service_targets(api, year, say)
    make_pledges(api, year, say)
    review_and_publish(api, year, say)
    report_progress(api, year, say)
    lookback(api, year, say)
    daily_work(api, year, say)
    say("3. three-way evaluation (against the service targets), 评诺 and the leadership round")
    for kind, title in ROUNDS:
        before = {p["id"]: invitation_tokens(api, p["id"]) for p in year.group.people.values()}
        open_round(api, year, kind, f"{day.year} {title}", say)
        collect_invitations(api, year, kind, before, say)
    answer_ballots(api, year, say, on_page, page_ballots)
    close_and_read(api, year, say)
    say("4. ledger and inboxes")
    read_ledger(api, year, say)
    read_inboxes(api, year, say)
    if nightly is not None:
        say("5. nightly run: 四好 scorecards and coverage")
        nightly_run(api, year, say, nightly)
    return year
