"""One role vocabulary (shared.roles) in pledge's JSON API: the key or the Chinese title accepted, the key
stored; an unknown role refused (422 naming the field); a secretary entered as 书记 reviews and is notified."""

from __future__ import annotations

from sqlalchemy import select

from pledge.support import pledge_body
from services.pledge.models import Person


def _person(api, org_id: int, roles, no: str = "R1", status: int = 201, lang=None):
    return api.post("/api/v1/people", {"name": "孙书记", "employee_no": no, "org_id": org_id, "party_member": True,
                                       "roles": roles}, as_="system", status=status, lang=lang).get_json()


def test_titles_are_stored_as_their_keys(api, tree, pledge, sent):
    person = _person(api, tree.b2, ["书记", "组织委员", "secretary", "宣传委员", "纪检委员", "委员", "副书记"])
    assert person["roles"] == ["secretary", "deputy_secretary", "organizer", "propaganda", "discipline",
                               "committee_member"]
    with pledge.db.session() as s:
        assert s.scalar(select(Person.roles).where(Person.id == person["id"])) == person["roles"]
    [event] = [p for p in sent.of("survey.directory_changed") if p["people"]]
    assert event["people"][0]["roles"] == person["roles"]  # what survey and notify receive: keys
    moved = api.patch(f"/api/v1/people/{person['id']}", {"roles": ["支部书记"]}, as_="system", status=200).get_json()
    assert moved["roles"] == ["secretary"]


def test_an_unknown_role_is_refused_naming_the_field(api, tree):
    body = _person(api, tree.b2, ["secretary", "主任"], status=422, lang="en")
    assert body["code"] == 422 and list(body["errors"]) == ["roles.1"]
    assert "unknown role" in body["errors"]["roles.1"][0]
    zh = _person(api, tree.b2, ["老板"], no="R2", status=422)
    assert "未知职务" in zh["errors"]["roles.0"][0]
    person = _person(api, tree.b2, [], no="R3")
    api.patch(f"/api/v1/people/{person['id']}", {"roles": ["boss"]}, as_="system", status=422)


def test_a_secretary_entered_as_shuji_reviews_and_is_asked_to(api, tree, sent):
    """Stored as given (书记), they were refused (403) when reviewing and got no review notice."""
    secretary = _person(api, tree.b2, ["书记"])
    sent.clear()
    pid = api.post("/api/v1/pledges", pledge_body("person", tree.m2), as_=("member", tree.m2),
                   status=201).get_json()["id"]
    api.post(f"/api/v1/pledges/{pid}/submit", as_=("member", tree.m2), status=200)
    [review] = [p for p in sent.of("notify.send") if p["category"] == "pledge_review"]
    assert [i["person_id"] for i in review["items"]] == [secretary["id"]]  # each reviewer's own link
    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, as_=("member", secretary["id"]), status=200)
