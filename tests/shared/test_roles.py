"""The one role vocabulary: keys or Chinese titles in, keys out; every committee role counts."""

import pytest

from shared import roles


def test_titles_and_keys_map_to_keys_in_vocabulary_order():
    assert roles.normalise("组织委员, 书记、宣传委员") == ["secretary", "organizer", "propaganda"]
    assert roles.normalise(["deputy_secretary", "纪检委员", "委员"]) == ["deputy_secretary", "discipline",
                                                                   "committee_member"]
    assert roles.normalise("支部书记 书记 secretary") == ["secretary"]
    assert roles.normalise("") == [] and roles.normalise([]) == []


def test_unknown_roles_are_named():
    with pytest.raises(roles.UnknownRole) as err:
        roles.normalise(["secretary", "厂长", "boss"])
    assert err.value.names == ["厂长", "boss"]


@pytest.mark.parametrize("stored", [["secretary"], ["书记"], ["organizer"], ["宣传委员"], ["discipline"],
                                    ["committee_member"], ["deputy_secretary"]])
def test_every_committee_role_counts_as_the_committee(stored):
    assert roles.is_committee(stored)


@pytest.mark.parametrize("stored", [[], None, ["volunteer"], ["group_leader"], ["unknown"]])
def test_other_roles_are_not_the_committee(stored):
    assert not roles.is_committee(stored)


def test_secretary_by_key_or_title_left_by_older_data():
    assert roles.is_secretary(["书记"]) and roles.is_secretary(["secretary"])
    assert not roles.is_secretary(["deputy_secretary", "副书记"])
    assert roles.title("organizer") == "组织委员" and roles.title("nope") == "nope"
