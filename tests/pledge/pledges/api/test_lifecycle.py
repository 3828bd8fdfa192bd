"""The whole pledge lifecycle over HTTP with real tokens: every move, its history, its messages."""

from __future__ import annotations

from datetime import date, timedelta

from pledge.support import pledge_body, published_pledge


def test_member_pledge_through_review_publication_lookback_and_close(api, tree, sent):
    me, secretary = ("member", tree.m1), ("member", tree.s1)
    created = api.post("/api/v1/pledges", pledge_body("person", tree.m1), as_=me, status=201).get_json()
    assert created["state"] == "draft" and created["version"] == 1
    assert created["org_id"] == tree.b1 and created["reviewer_org_id"] == tree.b1
    pid = created["id"]

    api.patch(f"/api/v1/pledges/{pid}", {"title": "岗位降本 800 万元"}, as_=me, status=200)
    api.post(f"/api/v1/pledges/{pid}/submit", as_=me, status=200)
    review = sent.of("notify.send")
    assert len(review) == 1 and review[0]["category"] == "pledge_review"
    assert [i["person_id"] for i in review[0]["items"]] == [tree.s1] and review[0]["private"]
    assert review[0]["items"][0]["link"].startswith(f"http://127.0.0.1:5001/pledges/{pid}?grant=")

    returned = api.post(f"/api/v1/pledges/{pid}/review", {"decision": "return", "comment": "目标再量化"},
                        as_=secretary, status=200).get_json()
    assert returned["state"] == "returned"
    api.patch(f"/api/v1/pledges/{pid}", {"targets": [{"name": "降本", "unit": "万元", "target": 850}]}, as_=me,
              status=200)
    api.post(f"/api/v1/pledges/{pid}/submit", as_=me, status=200)
    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, as_=secretary, status=200)
    sent.clear()
    published = api.post(f"/api/v1/pledges/{pid}/publish", {"channels": ["board", "intranet"]}, as_=me,
                         status=200).get_json()
    assert published["state"] == "published" and published["published_version"] == 1
    assert [m["pledges"][0]["state"] for m in sent.of("survey.pledges_changed")] == ["published"]

    progress = api.post(f"/api/v1/pledges/{pid}/progress", {"note": "一季度", "values": {"降本": 425},
                        "evidence_url": "https://intranet.example/evidence/1"}, as_=me, status=201).get_json()
    assert progress["completion"] == 0.5 and progress["targets"][0]["completion"] == 0.5

    revised = api.post(f"/api/v1/pledges/{pid}/revise", {"reason": "回头看：目标上调", "targets": [
        {"name": "降本", "unit": "万元", "target": 1000}]}, as_=me, status=200).get_json()
    assert revised["state"] == "submitted" and revised["version"] == 2 and revised["published_version"] == 1
    ledger = api.get(f"/api/v1/orgs/{tree.g}/ledger", as_=("member", tree.m2), status=200).get_json()
    assert ledger["items"][0]["version"] == 1 and ledger["items"][0]["targets"][0]["target"] == 850
    assert ledger["items"][0]["revising"] is True
    outsider = api.get(f"/api/v1/pledges/{pid}", as_=("member", tree.m3), status=200).get_json()
    assert outsider["version"] == 1 and outsider["targets"][0]["target"] == 850 and outsider["allowed_actions"] == []
    assert api.get(f"/api/v1/pledges/{pid}", as_=me, status=200).get_json()["targets"][0]["target"] == 1000

    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, as_=secretary, status=200)
    ledger = api.get(f"/api/v1/orgs/{tree.g}/ledger", status=200).get_json()
    assert ledger["items"][0]["version"] == 2 and ledger["items"][0]["targets"][0]["target"] == 1000
    api.post(f"/api/v1/pledges/{pid}/publish", as_=secretary, status=200)
    closed = api.post(f"/api/v1/pledges/{pid}/close", {"outcome": "partly", "comment": "评诺后结束"},
                      as_=secretary, status=200).get_json()
    assert closed["state"] == "closed" and closed["outcome"] == "partly"

    history = api.get(f"/api/v1/pledges/{pid}/history", as_=me, status=200).get_json()
    actions = [t["action"] for t in history["transitions"]]
    assert actions == ["create", "edit", "submit", "return", "edit", "submit", "approve", "publish", "progress",
                       "revise", "approve", "publish", "close"]
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert history["versions"][0]["data"]["title"] == "岗位降本 800 万元"
    assert history["versions"][1]["changes"]["targets"]["from"][0]["target"] == 850
    assert history["versions"][1]["reason"] == "回头看：目标上调"
    ret = history["transitions"][3]
    assert ret["actor"] == f"member:{tree.s1}" and ret["comment"] == "目标再量化" and ret["from_state"] == "submitted"
    assert history["progress"][0]["evidence_url"] == "https://intranet.example/evidence/1"


def test_illegal_move_is_409_naming_the_state_and_allowed_actions(api, tree):
    pid = api.post("/api/v1/pledges", pledge_body("org", tree.b1), status=201).get_json()["id"]
    body = api.post(f"/api/v1/pledges/{pid}/publish", status=409).get_json()
    assert body["error"] == "invalid_transition" and "draft" in body["message"] and "submit" in body["message"]
    assert body["errors"]["state"] == ["draft"] and "submit" in body["errors"]["allowed_actions"]
    en = api.post(f"/api/v1/pledges/{pid}/close", {"outcome": "fulfilled"}, lang="en", status=409).get_json()
    assert en["message"].startswith("The current state is 'draft'")


def test_patch_only_in_draft_or_returned(api, tree):
    pid = published_pledge(api, "org", tree.b1)
    body = api.patch(f"/api/v1/pledges/{pid}", {"title": "改"}, status=409).get_json()
    assert "published" in body["message"]


def test_withdraw_needs_a_reason_and_takes_it_off_the_ledger(api, tree, sent):
    pid = published_pledge(api, "org", tree.b1)
    api.post(f"/api/v1/pledges/{pid}/withdraw", {}, status=422)
    sent.clear()
    done = api.post(f"/api/v1/pledges/{pid}/withdraw", {"reason": "机构调整"}, as_=("org_admin", tree.b1),
                    status=200).get_json()
    assert done["state"] == "withdrawn"
    assert sent.of("survey.pledges_changed")[0]["pledges"][0]["state"] == "withdrawn"
    assert api.get(f"/api/v1/orgs/{tree.g}/ledger", status=200).get_json()["total"] == 0
    api.post(f"/api/v1/pledges/{pid}/withdraw", {"reason": "again"}, status=409)


def test_bad_input_is_named(api, tree):
    body = api.post("/api/v1/pledges", pledge_body("person", tree.m1, category="key_tasks", targets=[]),
                    status=422).get_json()
    assert set(body["errors"]) == {"targets"}
    body = api.post("/api/v1/pledges", pledge_body("person", tree.m1, category="key_tasks"), status=422).get_json()
    assert set(body["errors"]) == {"category"}
    dup = [{"name": "a", "target": 1}, {"name": "a", "target": 2}]
    assert "targets" in api.post("/api/v1/pledges", pledge_body("org", tree.b1, targets=dup), status=422).get_json()[
        "errors"]
    assert api.post("/api/v1/pledges", pledge_body("person", 9999), status=422).get_json()["errors"] == {
        "pledger_id": ["承诺主体不存在"]}
    pid = published_pledge(api, "org", tree.b1)
    bad = api.post(f"/api/v1/pledges/{pid}/progress", {"values": {"无此指标": 1}}, status=422).get_json()
    assert list(bad["errors"]) == ["values.无此指标"]
    api.post(f"/api/v1/pledges/{pid}/progress", {"values": {"降本": 1}, "extra": 1}, status=422)
    api.get("/api/v1/pledges/424242", status=404)


def test_target_due_date_defaults_to_the_pledge_and_overdue_shows(api, tree):
    due = (date.today() - timedelta(days=3)).isoformat()
    pid = published_pledge(api, "org", tree.b1, due_on=due)
    body = api.get(f"/api/v1/pledges/{pid}", status=200).get_json()
    assert body["overdue"] is True and body["allowed_actions"] == ["progress", "exemplar", "revise", "close",
                                                                    "withdraw"]
    assert all(t["due_on"] is None or t["due_on"] == due for t in body["targets"])


def test_exemplars_are_listed_per_carrier(api, tree):
    carrier = api.post("/api/v1/carriers", {"title": "钢铁先锋", "org_id": tree.g, "period_kind": "year",
                                            "period_start": "2026-01-01", "themes": ["学先进", "拓市场"]},
                       status=201).get_json()
    assert carrier["period_end"] == "2026-12-31"
    sub = api.post("/api/v1/carriers", {"title": "转炉厂：降本增效", "org_id": tree.c1, "parent_id": carrier["id"],
                                        "period_kind": "quarter", "period_start": "2026-04-01"},
                   as_=("org_admin", tree.c1), status=201).get_json()
    assert sub["period_end"] == "2026-06-30"
    pid = published_pledge(api, "org", tree.b1, carrier_id=sub["id"])
    api.post(f"/api/v1/pledges/{pid}/exemplar", {"note": "具体实在"}, as_=("member", tree.m1), status=403)
    api.post(f"/api/v1/pledges/{pid}/exemplar", {"note": "具体实在"}, as_=("org_admin", tree.c1), status=200)
    listed = api.get(f"/api/v1/carriers/{carrier['id']}/exemplars", as_=("member", tree.m3), status=200).get_json()
    assert [p["id"] for p in listed["items"]] == [pid] and listed["items"][0]["exemplar_note"] == "具体实在"
    carriers = api.get(f"/api/v1/carriers?org_id={tree.b1}", as_=("member", tree.m1), status=200).get_json()
    assert {c["id"] for c in carriers["items"]} == {carrier["id"], sub["id"]}
    api.post("/api/v1/carriers", {"title": "x", "org_id": tree.c2, "period_kind": "month",
                                  "period_start": "2026-04-01"}, as_=("org_admin", tree.c1), status=403)


def test_evaluation_scores_reach_the_pledge(api, tree, pledge):
    from services.pledge.tasks import evaluation_scores

    pid = published_pledge(api, "org", tree.b1)
    message = {"round_id": 3, "scores": [{"pledge_id": pid, "score": 86.5, "grade": "合格", "n": 12}]}
    assert evaluation_scores.run(message) == 1
    assert evaluation_scores.run(message) == 1  # redelivery: same result
    assert evaluation_scores.run({"round_id": 2, "scores": [{"pledge_id": pid, "score": 10.0, "grade": "不合格",
                                                               "n": 5}]}) == 0  # an older round does not win
    row = api.get(f"/api/v1/orgs/{tree.g}/ledger", status=200).get_json()["items"][0]
    assert row["evaluation_score"] == 86.5 and row["evaluation_grade"] == "合格"


def test_actions_without_a_body(api, tree, pledge_client, auth_headers):
    pid = api.post("/api/v1/pledges", pledge_body("org", tree.b1), status=201).get_json()["id"]
    response = pledge_client.post(f"/api/v1/pledges/{pid}/submit", headers=auth_headers("admin", sub=1))
    assert response.status_code == 200 and response.get_json()["state"] == "submitted"
    response = pledge_client.post(f"/api/v1/pledges/{pid}/review", headers=auth_headers("admin", sub=1))
    assert response.status_code == 422 and "decision" in response.get_json()["errors"]


def test_closing_offers_the_suggested_outcome_and_records_a_different_choice(api, tree):
    kept = published_pledge(api, "person", tree.m1, targets=[{"name": "降本", "target": 10}])
    api.post(f"/api/v1/pledges/{kept}/progress", {"values": {"降本": 10}}, status=201)
    assert api.get(f"/api/v1/pledges/{kept}", status=200).get_json()["suggested_outcome"] == "fulfilled"
    closed = api.post(f"/api/v1/pledges/{kept}/close", {}, status=200).get_json()
    assert closed["outcome"] == "fulfilled" and closed["suggested_outcome"] == "fulfilled"
    assert closed["outcome_differs"] is False

    half = published_pledge(api, "person", tree.m1, targets=[{"name": "降本", "target": 10}])
    api.post(f"/api/v1/pledges/{half}/progress", {"values": {"降本": 6}}, status=201)
    assert api.get(f"/api/v1/pledges/{half}", status=200).get_json()["suggested_outcome"] == "partly"
    closed = api.post(f"/api/v1/pledges/{half}/close", {"outcome": "fulfilled", "comment": "党委研究认定"},
                      status=200).get_json()
    assert closed["outcome"] == "fulfilled" and closed["suggested_outcome"] == "partly"
    assert closed["outcome_differs"] is True
    last = api.get(f"/api/v1/pledges/{half}/history", status=200).get_json()["transitions"][-1]
    assert last["action"] == "close" and "建议部分兑现" in last["comment"] and "党委研究认定" in last["comment"]
    bad = api.post(f"/api/v1/pledges/{half}/close", {"outcome": "maybe"}, lang="en", status=422).get_json()
    assert set(bad["errors"]) == {"outcome"}
    assert api.post(f"/api/v1/pledges/{half}/close", {}, status=409).get_json()["code"] == 409
