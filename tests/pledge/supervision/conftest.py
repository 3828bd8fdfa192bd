"""Fixtures of the supervision tests: the small group of ``world.py``, the client, an admin's headers."""

from __future__ import annotations

import pytest

from pledge.supervision.world import World, build_world


@pytest.fixture
def world(pledge) -> World:
    with pledge.db.session() as session:
        return build_world(session)


@pytest.fixture
def client(pledge_client):
    return pledge_client


@pytest.fixture
def as_admin(auth_headers):
    return auth_headers("admin")
