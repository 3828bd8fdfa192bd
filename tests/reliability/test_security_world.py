"""A small group with one object of every kind in each service, and the operations of each OpenAPI.

Shared by the ``test_security_*`` modules (issue 8, #13/#14).  The owner subtree is 转炉厂党委 (its branch
炼钢一支部 holds member ``m1``); the outsiders are the org admin of 焦化厂党委 and ``m3``, a member of its
branch.  Every object lives in the owner subtree or belongs to ``m1``.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import jwt

from shared.db import utcnow
from shared.directory import apply
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord

METHODS = ("get", "post", "put", "patch", "delete")
PUBLIC = re.compile(r"^/(healthz|readyz|metrics|openapi\.json|docs)$|^/board/|^/b/|^/api/v1/ballots/")
TODAY = date.today().isoformat()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body_schema: dict | None  # the JSON request body's schema (``$ref`` resolved), if any
    public: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    def url(self, values: dict[str, object]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), self.path)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations(client) -> list[Operation]:
    spec = client.get("/openapi.json").get_json()
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            out.append(Operation(method, path, _resolve(spec, body["schema"]) if body else None,
                                 op.get("security") == []))
    return out


# ---- tokens a hostile caller might bring ------------------------------------------------------------

def bad_tokens(secret: str) -> dict[str, str]:
    now = int(utcnow().timestamp())
    claims = {"roles": ["admin"], "sub": "1", "exp": now + 3600}
    return {
        "other secret": jwt.encode(claims, "not-the-secret-" * 3, algorithm="HS256"),
        "expired": jwt.encode({**claims, "exp": now - 10}, secret, algorithm="HS256"),
        "alg none": _unsigned(claims),
        "garbage": "abc.def.ghi",
        "no roles": jwt.encode({"sub": "1", "exp": now + 3600}, secret, algorithm="HS256"),
    }


def _unsigned(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def assert_contract_error(response, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    body = response.get_json(silent=True)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert isinstance(body, dict) and set(body) == {"code", "error", "message", "errors"}, body
    assert body["code"] == response.status_code and body["message"]
    return body


# ---- the world ----------------------------------------------------------------------------------------

@dataclass
class World:
    """Ids per path parameter name, per service; the callers' headers."""

    ids: dict[str, dict[str, object]] = field(default_factory=dict)
    owner_org: int = 0
    outsider_org: int = 0
    m1: int = 0
    m3: int = 0


def _created(response) -> dict:
    assert response.status_code in (200, 201, 202), response.get_data(as_text=True)[:400]
    return response.get_json()


def build_pledge(client, admin: dict) -> dict:
    def post(url: str, body: dict) -> dict:
        return _created(client.post(url, json=body, headers=admin))

    def org(code: str, name: str, kind: str, parent: int | None) -> int:
        return post("/api/v1/orgs", {"code": code, "name": name, "kind": kind, "parent_id": parent})["id"]

    def person(no: str, name: str, org_id: int, roles: list[str] | None = None) -> int:
        return post("/api/v1/people", {"employee_no": no, "name": name, "org_id": org_id, "party_member": True,
                                       "roles": roles or []})["id"]

    g = org("HG", "集团党委", "committee", None)
    c1, c2 = org("ZL", "转炉厂党委", "committee", g), org("JH", "焦化厂党委", "committee", g)
    b1, b3 = org("ZL1", "炼钢一支部", "branch", c1), org("JH1", "炼焦支部", "branch", c2)
    m1, leader, m3 = person("E1", "张三", b1), person("E9", "李书记", g, ["secretary"]), person("E4", "赵六", b3)
    pledge = post("/api/v1/pledges", {
        "pledger_type": "person", "pledger_id": m1, "category": "first_class_results", "title": "草稿承诺",
        "content": "内容", "audiences": ["党员"], "targets": [{"name": "降本", "unit": "万元", "target": 10}],
        "due_on": (date.today() + timedelta(days=90)).isoformat()})["id"]
    carrier = post("/api/v1/carriers", {"title": "钢铁先锋", "org_id": c1, "period_kind": "year",
                                        "period_start": f"{date.today().year}-01-01", "themes": ["降本"]})["id"]
    inspection = post("/api/v1/inspections", {"org_id": b1, "kind": "routine", "visited_on": TODAY,
                                              "inspector_id": leader, "findings": "好", "rating": 5})["id"]
    comment = post(f"/api/v1/orgs/{b1}/comments", {"year": 2024, "quarter": 1, "text": "点评"})["id"]
    site = post("/api/v1/demo-sites", {"org_id": b1, "kind": "branch", "level": "key"})["id"]
    action = post(f"/api/v1/demo-sites/{site}/actions", {"kind": "prescribed", "line": "management",
                                                         "title": "动作"})["id"]
    point = post("/api/v1/contact-points", {"leader_id": leader, "org_id": b1})["id"]
    zone = post("/api/v1/zones", {"org_id": b1, "name": "5S责任区", "kind": "five_s", "holder_ids": [m1]})["id"]
    duty = post("/api/v1/posts", {"org_id": b1, "title": "先锋岗", "kind": "vanguard_post", "holder_id": m1,
                                  "since": TODAY})["id"]
    target = post("/api/v1/service-targets", {"provider_type": "org", "provider_id": b1, "period_kind": "year",
                                              "period_start": f"{date.today().year}-01-01", "title": "服务党员"})["id"]
    job = client.post("/api/v1/directory/import", headers=admin, content_type="multipart/form-data",
                      data={"file": (_csv(b"code,name,kind,parent_code\nZL9,x,branch,ZL\n"), "orgs.csv")})
    return {"org_id": b1, "person_id": m1, "pledge_id": pledge, "carrier_id": carrier, "inspection_id": inspection,
            "comment_id": comment, "site_id": site, "action_id": action, "point_id": point,
            "target_id": target, "job_id": _created(job)["job_id"], "letter_id": "0", "zone_id": zone, "post_id": duty,
            "_c1": c1, "_c2": c2, "_m3": m3, "_b3": b3}


def _csv(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


ORGS = [OrgRecord(1, "HG", "集团党委", "committee", None, "/1/"),
        OrgRecord(2, "ZL", "转炉厂党委", "committee", 1, "/1/2/"),
        OrgRecord(3, "ZL1", "炼钢一支部", "branch", 2, "/1/2/3/"),
        OrgRecord(5, "JH", "焦化厂党委", "committee", 1, "/1/5/"),
        OrgRecord(6, "JH1", "炼焦支部", "branch", 5, "/1/5/6/")]
PEOPLE = [PersonRecord(101, "E101", "张三", 3, True, "2001-07-01", ["secretary"], "p101@hzsteel.example"),
          PersonRecord(102, "E102", "李四", 3, True, "2002-07-01", [], "p102@hzsteel.example"),
          PersonRecord(301, "E301", "赵六", 6, True, "2003-07-01", [], "p301@hzsteel.example")]
OWNER_ORG, OUTSIDER_ORG, M1, M3 = 2, 5, 101, 301


def load_directory(service) -> None:
    from importlib import import_module

    directory = import_module(f"services.{service.name}.models").directory
    with service.db.session() as session:
        apply(session, directory, DirectoryChanged(orgs=ORGS, people=PEOPLE))


def build_survey(service, client, admin: dict) -> dict:
    load_directory(service)
    body = {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": OWNER_ORG,
            "closes_at": (utcnow() + timedelta(hours=48)).isoformat(), "settings": {}}
    round_id = _created(client.post("/api/v1/rounds", json=body, headers=admin))["id"]
    return {"round_id": round_id, "letter_id": "0", "token": "x" * 20, "year": 2026}


def run_own_tasks(service, sent) -> None:
    """What the outbox relay sent to the service's own queue, run in order (a broker in-process)."""
    cursor = 0
    while cursor < len(sent.sent):
        message = sent.sent[cursor]
        cursor += 1
        if message.task.startswith(f"{service.name}."):
            service.celery.tasks[message.task](message=message.payload)


def build_notify(service, client, admin: dict, sent) -> dict:
    load_directory(service)
    body = {"category": "general", "subject": "通知", "body": "内容", "recipients": {"person_ids": [M1]},
            "channels": ["inbox"]}
    notification = _created(client.post("/api/v1/notifications", json=body, headers=admin))["id"]
    run_own_tasks(service, sent)
    inbox = _created(client.get(f"/api/v1/inbox/{M1}", headers=admin))["items"]
    assert inbox, "the notification reached m1's inbox"
    hook = _created(client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "org_id": 3},
                                headers=admin))["id"]
    return {"notification_id": notification, "person_id": M1, "message_id": inbox[0]["id"], "endpoint_id": hook,
            "category": "general", "letter_id": "0"}


def started(services, name: str, settings, sent):
    """The service started for a security test (notify with 127.0.0.1 allow-listed for its webhook) and a client."""
    if name == "notify":
        settings = dataclasses.replace(settings, webhook_allow="127.0.0.1")
    service = services[name]
    service.start(settings, sender=sent)
    return service, service.create_app(settings).test_client()


def _suggestion(service, person_id: int, org_id: int) -> str:
    """An anonymous suggestion of ``m1`` to its branch (a member's own token submits it: written directly)."""
    from services.pledge.suggestions.submitting import submit
    from shared.principal import Principal

    with service.unit_of_work() as ctx:
        member = Principal(sub=str(person_id), roles=frozenset({"member"}))
        return submit(ctx, member, {"org_id": org_id, "content": "意见", "anonymous": True})["id"]


def build(services, name: str, settings, sent, admin: dict):
    """(service, client, ids by path parameter) of a fresh world in service ``name``."""
    service, client = started(services, name, settings, sent)
    if name == "pledge":
        ids = build_pledge(client, admin)
        return service, client, {**ids, "suggestion_id": _suggestion(service, ids["person_id"], ids["org_id"])}
    if name == "survey":
        return service, client, build_survey(service, client, admin)
    return service, client, build_notify(service, client, admin, sent)
