"""三服务 provider rules on plain data: whom each provider serves, who may set a target."""

from __future__ import annotations

import pytest

from services.pledge.service_targets.domain.providers import Setter, beneficiaries_of, may_set


@pytest.mark.parametrize(("provider_type", "kind", "serves"), [
    ("org", "committee", "branches"), ("org", "branch", "members"), ("person", "branch", "employees"),
    ("person", "committee", "employees"),
])
def test_beneficiaries(provider_type, kind, serves):
    assert beneficiaries_of(provider_type, kind) == serves


@pytest.mark.parametrize(("setter", "provider", "allowed"), [
    (Setter(admin=True), ("org", 5, 5), True),
    (Setter(administers=True), ("org", 5, 5), True),
    (Setter(person_id=7, committee_of=5), ("org", 5, 5), True),     # a committee member of the org itself
    (Setter(person_id=7, committee_of=4), ("org", 5, 5), False),    # … of another org
    (Setter(person_id=7), ("org", 5, 5), False),                    # a plain member
    (Setter(person_id=7), ("person", 7, 5), True),                  # one's own target
    (Setter(person_id=7, committee_of=5), ("person", 8, 5), False),  # not for someone else
    (Setter(), ("person", 7, 5), False),
])
def test_may_set(setter, provider, allowed):
    assert may_set(setter, *provider) is allowed
