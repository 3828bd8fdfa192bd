"""Fixtures of the pledge core tests (helpers in ``pledge_core_support``)."""

from __future__ import annotations

import pytest
from pledge_core_support import Api, Tree, build_tree


@pytest.fixture
def tree(pledge, sent) -> Tree:
    built = build_tree(pledge)
    sent.clear()
    return built


@pytest.fixture
def api(pledge_client, auth_headers) -> Api:
    return Api(pledge_client, auth_headers)
