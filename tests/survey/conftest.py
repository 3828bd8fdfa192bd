"""Fixtures of the survey tests: the small group in the survey's projections, rounds made through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.db import utcnow
from shared.directory import apply
from shared.messages import DirectoryChanged, PledgesChanged

from .factories import RoundFactory
from .support import ORGS, PEOPLE, PLEDGES


@pytest.fixture
def group(survey):
    """The demo group (and its pledges) in the survey's projections."""
    from services.survey.directory import pledges
    from services.survey.models import directory

    with survey.db.session() as s:
        apply(s, directory, DirectoryChanged(orgs=ORGS, people=PEOPLE))
        pledges.apply(s, PledgesChanged(pledges=PLEDGES))
    return survey


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


@pytest.fixture
def make_round(survey_client, group, admin):
    """``make_round(kind="three_way", open=True, **settings)`` → the round as the API returns it."""

    def make(kind: str = "three_way", open: bool = True, root: int = 1, hours: int = 48, **settings) -> dict:
        body = {"kind": kind, "title": "2026 年度三测评" if kind == "three_way" else "2026 年度评诺",
                "root_org_id": root, "closes_at": (utcnow() + timedelta(hours=hours)).isoformat(),
                "settings": settings}
        r = survey_client.post("/api/v1/rounds", json=body, headers=admin)
        assert r.status_code == 201, r.get_json()
        if open:
            r = survey_client.post(f"/api/v1/rounds/{r.get_json()['id']}/open", headers=admin)
            assert r.status_code == 200, r.get_json()
        return r.get_json()

    return make


@pytest.fixture
def session(survey):
    """A session on the survey's database, committed at the end of the test (for use cases called directly)."""
    with survey.db.session() as s:
        yield s


@pytest.fixture
def round_factory(session):
    """:class:`RoundFactory` bound to the test's session."""
    RoundFactory._meta.sqlalchemy_session = session
    yield RoundFactory
    RoundFactory._meta.sqlalchemy_session = None
