"""On PostgreSQL a submission reads, then claims and pools in one autocommitted statement: whatever happens
between the two (the round closed, the ballot used) leaves nothing pooled and answers the right 409."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from services.survey.ballots import submission
from services.survey.models import Ballot, PooledAnswers

from ...support import fill, invitations

# SQLite submissions are one serial transaction (BEGIN IMMEDIATE): nothing can come between read and claim
pytestmark = pytest.mark.services


@pytest.fixture
def between(survey, monkeypatch):
    """``between(action)``: run ``action`` after the submission's read and checks, before its claim."""
    def install(action):
        real = submission._checked

        def then(*args, **kwargs):
            checked = real(*args, **kwargs)
            action()
            return checked

        monkeypatch.setattr(submission, "_checked", then)

    return install


def _nothing_pooled(survey) -> bool:
    with survey.db.session() as s:
        return s.scalar(select(func.count()).select_from(PooledAnswers)) == 0


def test_a_round_closed_after_the_read_pools_nothing(make_round, survey, survey_client, sent, admin, between):
    rid = make_round()["id"]
    token = invitations(sent)[111]
    ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
    between(lambda: survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin))
    r = survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot)})
    assert r.status_code == 409 and r.get_json()["errors"]["state"] == ["closed"]
    assert _nothing_pooled(survey)


def test_a_ballot_used_after_the_read_pools_nothing(make_round, survey, survey_client, sent, between):
    make_round()
    token = invitations(sent)[111]
    ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()

    def used_elsewhere():
        with survey.db.session() as s:
            s.execute(update(Ballot).values(used=True))

    between(used_elsewhere)
    r = survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot)})
    assert r.status_code == 409 and r.get_json()["error"] == "ballot_used"
    assert _nothing_pooled(survey)
