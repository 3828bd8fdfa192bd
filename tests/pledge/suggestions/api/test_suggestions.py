"""Suggestions (征求意见) over HTTP: members submit, secretaries and admins read and answer, pledges cite them;
refusals by role and subtree, bad input in the contract's shape (zh and en)."""

from __future__ import annotations

import pytest

from pledge.support import pledge_body

URL = "/api/v1/suggestions"


def submit(api, tree, who=None, org=None, anonymous=False, content="班组更衣室太小，希望扩建", **kw):
    body = {"org_id": org or tree.b1, "content": content, "anonymous": anonymous}
    return api.post(URL, body, as_=("member", who or tree.m1), **kw)


def test_a_signed_suggestion_shows_its_author_an_anonymous_one_nobody(api, tree):
    signed = submit(api, tree, status=201).get_json()
    anonymous = submit(api, tree, anonymous=True, status=201).get_json()
    assert signed["author_id"] == tree.m1 and signed["state"] == "open" and signed["pledge_ids"] == []
    assert anonymous["author_id"] is None and anonymous["anonymous"] is True
    assert len(anonymous["id"]) == 32 and anonymous["submitted_on"]
    for reader in (("member", tree.s1), "admin", ("org_admin", tree.c1)):
        one = api.get(f"{URL}/{anonymous['id']}", as_=reader, status=200).get_json()
        assert one["author_id"] is None
    listed = api.get(f"{URL}?org_id={tree.b1}", as_=("member", tree.s1), status=200).get_json()
    assert listed["total"] == 2 and {i["author_id"] for i in listed["items"]} == {tree.m1, None}


def test_a_person_submits_to_their_org_or_above_not_elsewhere(api, tree):
    submit(api, tree, org=tree.c1, status=201)
    submit(api, tree, org=tree.g, status=201)
    errors = submit(api, tree, org=tree.b3, status=422, lang="en").get_json()["errors"]
    assert list(errors) == ["org_id"]
    assert list(submit(api, tree, org=99999, status=422).get_json()["errors"]) == ["org_id"]


def test_only_a_member_token_submits(api, tree):
    body = {"org_id": tree.b1, "content": "x"}
    api.post(URL, body, as_="admin", status=403)
    api.post(URL, body, as_=("org_admin", tree.b1), status=403)
    api.post(URL, body, as_=("member", 99999), status=403)  # no such person
    assert api.client.post(URL, json=body).status_code == 401


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_input_names_every_field(api, tree, lang):
    body = {"org_id": "b1", "content": "", "anonymous": "perhaps", "author_id": tree.m1}
    response = api.post(URL, body, as_=("member", tree.m1), lang=lang, status=422).get_json()
    assert set(response) == {"code", "error", "message", "errors"}
    assert {"org_id", "content", "anonymous", "author_id"} <= set(response["errors"])
    assert (response["message"].isascii()) == (lang == "en")


def test_only_secretaries_and_admins_over_the_org_read(api, tree):
    sid = submit(api, tree, status=201).get_json()["id"]
    api.get(URL, as_=("member", tree.m1), status=403)  # the author too lists nothing but ?mine=1
    api.get(f"{URL}/{sid}", as_=("member", tree.m1), status=200)  # … and reads their own signed one
    api.get(f"{URL}/{sid}", as_=("member", tree.m3), status=403)
    api.get(f"{URL}/{sid}", as_=("org_admin", tree.c2), status=403)
    api.get(f"{URL}?org_id={tree.b1}", as_=("org_admin", tree.c2), status=403)
    api.get(f"{URL}/{sid}", as_="system", status=403)
    api.get(f"{URL}/{sid}", as_=("member", tree.sc1), status=200)  # the committee's secretary, above
    api.get(f"{URL}/{'0' * 32}", status=404)
    api.get(f"{URL}/nonsense", status=404)
    assert api.get(URL, as_=("member", tree.s1), status=200).get_json()["total"] == 1
    assert api.get(URL, as_=("org_admin", tree.c2), status=200).get_json()["total"] == 0
    assert api.get(f"{URL}?org_id={tree.c1}", status=200).get_json()["total"] == 0
    assert api.get(f"{URL}?org_id={tree.c1}&subtree=1", status=200).get_json()["total"] == 1


def test_secretary_answers_or_declines_with_a_reason(api, tree):
    first, second = (submit(api, tree, status=201).get_json()["id"] for _ in range(2))
    answered = api.post(f"{URL}/{first}/answer", {"decision": "answer", "reply": "已列入明年计划"},
                        as_=("member", tree.s1), status=200).get_json()
    assert answered["state"] == "answered" and answered["reply"] == "已列入明年计划"
    errors = api.post(f"{URL}/{second}/answer", {"decision": "decline"}, as_=("member", tree.s1), lang="en",
                      status=422).get_json()["errors"]
    assert list(errors) == ["reason"]
    declined = api.post(f"{URL}/{second}/answer", {"decision": "decline", "reason": "场地受限"},
                        as_=("member", tree.s1), status=200).get_json()
    assert declined["state"] == "declined" and declined["reason"] == "场地受限"
    conflict = api.post(f"{URL}/{second}/answer", {"decision": "answer", "reply": "x"}, status=409).get_json()
    assert conflict["errors"]["state"] == ["declined"]
    api.post(f"{URL}/{first}/answer", {"decision": "answer"}, as_=("member", tree.m1), status=403)
    states = api.get(f"{URL}?state=declined", status=200).get_json()
    assert [i["id"] for i in states["items"]] == [second]


def test_pledges_cite_the_suggestions_they_answer(api, tree):
    a, b = (submit(api, tree, anonymous=True, status=201).get_json()["id"] for _ in range(2))
    pledge = api.post("/api/v1/pledges", pledge_body("org", tree.b1, suggestion_ids=[a]), status=201).get_json()
    assert pledge["suggestion_ids"] == [a]
    cited = api.get(f"{URL}/{a}", status=200).get_json()
    assert cited["state"] == "answered" and cited["pledge_ids"] == [pledge["id"]]
    patched = api.patch(f"/api/v1/pledges/{pledge['id']}", {"suggestion_ids": [b]}, status=200).get_json()
    assert patched["suggestion_ids"] == [b]
    assert api.get(f"{URL}/{a}", status=200).get_json()["pledge_ids"] == []
    assert api.get(f"/api/v1/pledges/{pledge['id']}", status=200).get_json()["suggestion_ids"] == [b]


def test_a_pledge_cannot_cite_unknown_declined_or_foreign_suggestions(api, tree):
    declined = submit(api, tree, status=201).get_json()["id"]
    api.post(f"{URL}/{declined}/answer", {"decision": "decline", "reason": "不具备条件"}, status=200)
    elsewhere = submit(api, tree, who=tree.m3, org=tree.b3, status=201).get_json()["id"]
    body = pledge_body("org", tree.b1, suggestion_ids=["f" * 32, declined, elsewhere, "nope"])
    errors = api.post("/api/v1/pledges", body, status=422).get_json()["errors"]
    assert list(errors) == ["suggestion_ids.3"]  # the malformed id, by the schema
    body["suggestion_ids"] = ["f" * 32, declined, elsewhere]
    errors = api.post("/api/v1/pledges", body, lang="en", status=422).get_json()["errors"]
    assert set(errors) == {"suggestion_ids.0", "suggestion_ids.1", "suggestion_ids.2"}


def test_an_author_follows_their_signed_suggestions_never_an_anonymous_one(api, tree):
    signed = submit(api, tree, status=201).get_json()["id"]
    anonymous = submit(api, tree, anonymous=True, status=201).get_json()["id"]
    api.post(f"{URL}/{signed}/answer", {"decision": "answer", "reply": "已安排"}, as_=("member", tree.s1), status=200)
    mine = api.get(f"{URL}?mine=1", as_=("member", tree.m1), status=200).get_json()
    assert [i["id"] for i in mine["items"]] == [signed] and mine["items"][0]["reply"] == "已安排"
    assert api.get(f"{URL}/{signed}", as_=("member", tree.m1), status=200).get_json()["state"] == "answered"
    api.get(f"{URL}/{anonymous}", as_=("member", tree.m1), status=403)  # nobody's: not even its writer's
    api.get(f"{URL}/{signed}", as_=("member", tree.m2), status=403)
    api.post(f"{URL}/{signed}/answer", {"decision": "answer", "reply": "x"}, as_=("member", tree.m1), status=403)
    assert api.get(f"{URL}?mine=1", as_=("member", tree.m2), status=200).get_json()["total"] == 0
    api.get(f"{URL}?mine=1", as_="admin", status=403)
