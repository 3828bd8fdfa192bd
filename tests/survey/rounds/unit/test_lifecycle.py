"""The round lifecycle is one table: every move it allows, and a refusal that names the state and what is allowed."""

from __future__ import annotations

import pytest

from services.survey.rounds.domain import lifecycle
from shared.errors import Conflict


def test_lifecycle_is_one_table_and_refuses_with_state_and_allowed():
    assert lifecycle.transition("draft", "open") == "open"
    assert lifecycle.transition("aggregating", "publish_results") == "results_ready"
    assert lifecycle.transition("results_ready", "aggregate") == "aggregating"
    for state, action in [("draft", "close"), ("closed", "open"), ("results_ready", "close"), ("open", "open")]:
        with pytest.raises(Conflict) as err:
            lifecycle.transition(state, action)
        assert err.value.errors["state"] == [state]
        assert err.value.errors["allowed_actions"] == lifecycle.allowed_actions(state)
