import pytest

from shared.messages import (
    DirectoryChanged,
    MessageError,
    OrgRecord,
    PersonRecord,
    SendNotification,
    consumers_of,
)


def test_directory_event_round_trips_through_json_payload():
    event = DirectoryChanged(
        orgs=[OrgRecord(id=1, code="HG", name="杭钢集团党委", kind="committee", parent_id=None, path="/1/")],
        people=[PersonRecord(id=7, employee_no="E7", name="李明", org_id=1, party_member=True,
                             joined_party_on="2000-02-29", roles=["secretary"])],
    )
    again = DirectoryChanged.from_payload(event.to_payload())
    assert again == event


def test_unknown_and_mistyped_fields_are_refused():
    with pytest.raises(MessageError, match="unknown"):
        DirectoryChanged.from_payload({"orgs": [], "people": [], "evil": 1})
    with pytest.raises(MessageError, match="expected int"):
        DirectoryChanged.from_payload({"orgs": [{"id": "x", "code": "a", "name": "b", "kind": "branch",
                                                  "parent_id": None, "path": "/"}]})
    with pytest.raises(MessageError, match="category"):
        SendNotification(key="k", category="spam", subject="s")


def test_each_queue_knows_the_messages_it_consumes():
    assert set(consumers_of("notify")) == {"notify.directory_changed", "notify.send"}
    assert set(consumers_of("survey")) == {"survey.directory_changed", "survey.pledges_changed",
                                          "survey.service_targets_changed", "survey.scorecard_facts"}
    assert set(consumers_of("pledge")) == {"pledge.evaluation_scores"}
