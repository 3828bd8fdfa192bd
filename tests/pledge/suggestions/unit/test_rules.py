"""Rules of suggestions on plain data: who may see an anonymous suggestion's author (nobody), where a person
may submit, which pledges may answer which suggestions, the lifecycle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.pledge.suggestions.domain.rules import LIFECYCLE, author_shown, cited_fits, covers, leads, may_submit_to
from shared.errors import Conflict


@settings(max_examples=50, deadline=None)
@given(author=st.one_of(st.none(), st.integers(min_value=1, max_value=2**31 - 1)))
def test_nobody_sees_the_author_of_an_anonymous_suggestion(author):
    assert author_shown(True, author) is None
    assert author_shown(False, author) == author


def test_a_person_submits_to_their_org_or_one_above_it():
    lineage = [1, 5, 9]  # root-first: the group, the unit committee, the branch
    assert all(may_submit_to(lineage, org) for org in lineage)
    assert not may_submit_to(lineage, 6)


def test_secretaries_and_deputies_lead_committee_members_do_not():
    assert leads(["secretary"]) and leads(["deputy_secretary", "organizer"])
    assert not leads(["organizer"]) and not leads([])


def test_a_pledge_answers_suggestions_along_its_org_line_only():
    assert cited_fits("/1/5/9/", "/1/5/")  # a suggestion made to the committee, answered by a branch
    assert cited_fits("/1/5/", "/1/5/9/")  # made to the branch, answered by the committee
    assert not cited_fits("/1/5/9/", "/1/6/")
    assert covers("", "/1/6/") and covers("/1/5/", "/1/5/9/") and not covers("/1/5/", "/1/55/")


def test_lifecycle_open_to_answered_or_declined_and_a_declined_one_stays_declined():
    assert LIFECYCLE.transition("open", "answer") == "answered"
    assert LIFECYCLE.transition("open", "decline") == "declined"
    assert LIFECYCLE.transition("open", "cite") == "answered"
    for action in ("answer", "decline", "cite"):
        if action != "decline":
            assert not LIFECYCLE.can("declined", action)
    with pytest.raises(Conflict):
        LIFECYCLE.transition("answered", "decline")


def test_only_a_signed_suggestion_has_an_author_who_may_follow_it():
    from types import SimpleNamespace

    from services.pledge.suggestions.domain.rules import is_author

    assert is_author(7, SimpleNamespace(anonymous=False, author_id=7))
    assert not is_author(7, SimpleNamespace(anonymous=True, author_id=None))
    assert not is_author(7, SimpleNamespace(anonymous=False, author_id=8))
