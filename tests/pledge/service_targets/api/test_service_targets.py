"""``/api/v1/service-targets``: provider rules, authorization by role and subtree, versions, messages to survey."""

from __future__ import annotations

from shared.messages import ServiceTargetsChanged

Q2 = "2026-04-01"


def _body(provider_type, provider_id, **over):
    return {"provider_type": provider_type, "provider_id": provider_id, "period_kind": "quarter",
            "period_start": Q2, "title": "为一线解难题", "content": "每月走访班组，解决三件实事", **over}


def _changes(sent) -> list:
    return [r for p in sent.of("survey.service_targets_changed")
            for r in ServiceTargetsChanged.from_payload(p).targets]


def test_providers_serve_downward_and_survey_hears(api, tree, sent):
    committee = api.post("/api/v1/service-targets", _body("org", tree.c1), as_=("member", tree.sc1),
                         status=201).get_json()
    assert committee["beneficiaries"] == "branches" and committee["org_id"] == tree.c1
    assert committee["period_end"] == "2026-06-30" and committee["version"] == 1 and committee["active"] is True
    branch = api.post("/api/v1/service-targets", _body("org", tree.b1, beneficiaries="members"),
                      as_=("member", tree.s1), status=201).get_json()
    assert branch["beneficiaries"] == "members"
    yearly = _body("person", tree.m1, period_kind="year", period_start="2026-01-01")
    member = api.post("/api/v1/service-targets", yearly, as_=("member", tree.m1), status=201).get_json()
    assert member["beneficiaries"] == "employees" and member["org_id"] == tree.b1
    assert member["provider_name"] == "张三" and member["period_end"] == "2026-12-31"
    records = _changes(sent)
    assert [(r.id, r.beneficiaries, r.version, r.active) for r in records] == [
        (committee["id"], "branches", 1, True), (branch["id"], "members", 1, True),
        (member["id"], "employees", 1, True)]
    assert records[0].period_start == Q2 and records[0].period_end == "2026-06-30"


def test_refusals_in_the_contract_shape(api, tree, pledge_client):
    post = "/api/v1/service-targets"
    assert pledge_client.post(post, json=_body("org", tree.c1)).status_code == 401
    api.post(post, _body("org", tree.b1), as_=("member", tree.m1), status=403)       # not on B1's committee
    api.post(post, _body("person", tree.m2), as_=("member", tree.m1), status=403)    # someone else's
    api.post(post, _body("org", tree.c1), as_=("org_admin", tree.c2), status=403)    # outside the subtree
    api.post(post, _body("org", tree.c1), as_="system", status=403)
    api.post(post, _body("org", tree.b1), as_=("org_admin", tree.g), status=201)     # above it
    bad = api.post(post, _body("org", tree.b2, beneficiaries="branches"), lang="en", status=422).get_json()
    assert bad["code"] == 422 and set(bad["errors"]) == {"beneficiaries"}
    assert "members" in bad["errors"]["beneficiaries"][0]
    bad = api.post(post, _body("person", 99999), status=422).get_json()
    assert set(bad["errors"]) == {"provider_id"}
    bad = api.post(post, {"provider_type": "team", "provider_id": 0, "period_kind": "week", "period_start": "x",
                          "title": "", "extra": 1}, lang="en", status=422).get_json()
    assert set(bad["errors"]) == {"provider_type", "provider_id", "period_kind", "period_start", "title", "extra"}
    api.post(post, _body("org", tree.c1), status=201)
    dup = api.post(post, _body("org", tree.c1), lang="en", status=409).get_json()
    assert dup["error"] == "service_target_exists" and "为一线解难题" in dup["message"]
    zh = api.post(post, _body("org", tree.c1), status=409).get_json()
    assert "服务目标" in zh["message"]


def test_who_reads_what(api, tree):
    ids = {name: api.post("/api/v1/service-targets", _body(kind, ident), status=201).get_json()["id"]
           for name, kind, ident in (("g", "org", tree.g), ("c1", "org", tree.c1), ("b1", "org", tree.b1),
                                     ("m1", "person", tree.m1), ("c2", "org", tree.c2), ("b3", "org", tree.b3),
                                     ("m2", "person", tree.m2))}

    def listed(as_, query=""):
        items = api.get(f"/api/v1/service-targets{query}", as_=as_, status=200).get_json()["items"]
        return {name for name, i in ids.items() if i in {t["id"] for t in items}}

    assert listed("admin") == set(ids) and listed("system") == set(ids)
    assert listed(("member", tree.m1)) == {"g", "c1", "b1", "m1"}  # what serves them and what they promise
    assert listed(("org_admin", tree.c1)) == {"g", "c1", "b1", "m1", "m2"}
    assert listed("admin", f"?org_id={tree.c1}&subtree=1") == {"c1", "b1", "m1", "m2"}
    assert listed("admin", f"?org_id={tree.b1}") == {"b1", "m1"}
    assert listed("admin", f"?provider_type=person&provider_id={tree.m1}") == {"m1"}
    assert listed("admin", "?period_start=2026-07-01") == set()
    assert listed("admin", "?active_on=2026-05-15") == set(ids)
    api.get(f"/api/v1/service-targets/{ids['b3']}", as_=("member", tree.m1), status=403)
    api.get(f"/api/v1/service-targets/{ids['c1']}", as_=("member", tree.m1), status=200)
    api.get("/api/v1/service-targets/99999", status=404)
    api.get("/api/v1/service-targets?org_id=99999", status=404)


def test_versions_are_kept_and_withdrawn_ones_are_final(api, tree, sent):
    me = ("member", tree.s1)
    tid = api.post("/api/v1/service-targets", _body("org", tree.b1), as_=me, status=201).get_json()["id"]
    api.patch(f"/api/v1/service-targets/{tid}", {"reason": "回头看", "title": "x"}, as_=("member", tree.m1),
              status=403)
    api.patch(f"/api/v1/service-targets/{tid}", {"title": "x"}, as_=me, status=422)
    revised = api.patch(f"/api/v1/service-targets/{tid}", {"reason": "党员意见：更具体", "content": "每周走访一次"},
                        as_=me, status=200).get_json()
    assert revised["version"] == 2 and revised["content"] == "每周走访一次" and revised["title"] == "为一线解难题"
    gone = api.post(f"/api/v1/service-targets/{tid}/withdraw", {"reason": "并入党委目标"}, as_=me,
                    status=200).get_json()
    assert gone["active"] is False and gone["version"] == 3
    history = api.get(f"/api/v1/service-targets/{tid}/versions", as_=("member", tree.m1), status=200).get_json()
    assert [(v["version"], v["data"]["content"], v["reason"]) for v in history["versions"]] == [
        (1, "每月走访班组，解决三件实事", None), (2, "每周走访一次", "党员意见：更具体"),
        (3, "每周走访一次", "并入党委目标")]
    again = api.patch(f"/api/v1/service-targets/{tid}", {"reason": "r"}, as_=me, lang="en", status=409).get_json()
    assert again["error"] == "service_target_withdrawn" and "withdrawn" in again["message"]
    assert [(r.version, r.active) for r in _changes(sent)] == [(1, True), (2, True), (3, False)]
    listed = api.get("/api/v1/service-targets?active=1", status=200).get_json()["total"]
    assert listed == 0


def test_sync_directory_sends_every_target_as_a_snapshot(api, tree, pledge, sent):
    keep = api.post("/api/v1/service-targets", _body("org", tree.c1), status=201).get_json()["id"]
    gone = api.post("/api/v1/service-targets", _body("org", tree.b1), status=201).get_json()["id"]
    api.post(f"/api/v1/service-targets/{gone}/withdraw", {"reason": "撤回"}, status=200)
    sent.clear()
    assert pledge.sync_directory()["service_targets"] == 2
    (snapshot,) = [ServiceTargetsChanged.from_payload(p) for p in sent.of("survey.service_targets_changed")]
    assert snapshot.snapshot and [(t.id, t.active) for t in snapshot.targets] == [(keep, True), (gone, False)]
