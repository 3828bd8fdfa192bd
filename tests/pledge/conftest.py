"""Fixtures of the pledge tests: a small group built through the directory use cases, API calls (helpers in
``pledge.support``)."""

from __future__ import annotations

import pytest

from pledge.support import Api, Tree, build_tree


@pytest.fixture
def tree(pledge, sent) -> Tree:
    built = build_tree(pledge)
    sent.clear()
    return built


@pytest.fixture
def api(pledge_client, auth_headers) -> Api:
    return Api(pledge_client, auth_headers)
