"""Helpers of the pledge tests: a small group built through the directory use cases, API calls.

集团党委 G ─ 转炉厂党委 C1 ─ 炼钢一支部 B1 (member m1, secretary s1), 炼钢二支部 B2 (member m2)
          └ 焦化厂党委 C2 ─ 炼焦支部 B3 (member m3)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pledge.factories import PledgeBodyFactory
from services.pledge.directory.orgs import create_org
from services.pledge.directory.people import create_person
from shared.principal import Principal

ADMIN = Principal(sub="1", roles=frozenset({"admin"}))


@dataclass(frozen=True)
class Tree:
    g: int
    c1: int
    b1: int
    b2: int
    c2: int
    b3: int
    m1: int
    s1: int
    m2: int
    m3: int
    sc1: int  # secretary of C1


def build_tree(service) -> Tree:
    with service.unit_of_work() as ctx:
        def org(code, name, kind, parent=None):
            return create_org(ctx, ADMIN, {"code": code, "name": name, "kind": kind, "parent_id": parent}).id

        def person(no, name, org_id, roles=()):
            return create_person(ctx, ADMIN, {
                "employee_no": no, "name": name, "org_id": org_id, "party_member": True,
                "joined_party_on": date(2000, 2, 29), "roles": list(roles), "email": None, "phone": None}).id

        g = org("HG", "集团党委", "committee")
        c1, c2 = org("ZL", "转炉厂党委", "committee", g), org("JH", "焦化厂党委", "committee", g)
        b1, b2, b3 = org("ZL1", "炼钢一支部", "branch", c1), org("ZL2", "炼钢二支部", "branch", c1), \
            org("JH1", "炼焦支部", "branch", c2)
        return Tree(g, c1, b1, b2, c2, b3, m1=person("E1", "张三", b1), s1=person("E2", "李书记", b1, ["secretary"]),
                    m2=person("E3", "王五", b2), m3=person("E4", "赵六", b3),
                    sc1=person("E5", "钱书记", c1, ["secretary"]))


class Api:
    """Calls with real tokens: ``api.post("/api/v1/pledges", body, as_=("member", 7))``."""

    def __init__(self, client, auth_headers) -> None:
        self.client, self.auth_headers = client, auth_headers

    def headers(self, as_, lang=None) -> dict:
        role, ident = as_ if isinstance(as_, tuple) else (as_, None)
        if role == "org_admin":
            return self.auth_headers(role, org=ident, lang=lang)
        return self.auth_headers(role, sub=ident if ident is not None else (1 if role == "admin" else None), lang=lang)

    def call(self, method: str, path: str, body=None, as_="admin", lang=None, status: int | None = None):
        response = getattr(self.client, method)(path, json=body, headers=self.headers(as_, lang))
        if status is not None:
            assert response.status_code == status, response.get_data(as_text=True)
        return response

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body if body is not None else {}, **kw)

    def patch(self, path, body, **kw):
        return self.call("patch", path, body, **kw)


def pledge_body(pledger_type: str, pledger_id: int, **over) -> dict:
    return PledgeBodyFactory(pledger_type=pledger_type, pledger_id=pledger_id, **over)


def published_pledge(api: Api, pledger_type: str, pledger_id: int, channels=("board", "meeting", "intranet"),
                     **over) -> int:
    """Create → submit → approve → publish (on every channel unless told), as admin; returns the id."""
    pid = api.post("/api/v1/pledges", pledge_body(pledger_type, pledger_id, **over), status=201).get_json()["id"]
    api.post(f"/api/v1/pledges/{pid}/submit", status=200)
    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, status=200)
    api.post(f"/api/v1/pledges/{pid}/publish", {"channels": list(channels)}, status=200)
    return pid
