"""The ledger row's lifecycle on the shared state machine: the same states and transitions as before,
the bulk questions (from which states, to which), and the shared refusal."""

import pytest

from services.notify.delivery.domain.lifecycle import DELIVERY, DELIVERY_STATES, OPEN_DELIVERY_STATES
from shared.errors import Conflict
from shared.lifecycle import StateMachine


def test_the_ledger_lifecycle_is_one_table_with_its_transitions():
    assert isinstance(DELIVERY, StateMachine)
    assert DELIVERY.transition("new", "deliver") == "sent"  # the inbox, in the ledger's transaction
    assert DELIVERY.transition("new", "enqueue") == "pending"  # email, webhook
    assert DELIVERY.transition("pending", "claim") == "sending"
    assert DELIVERY.transition("sending", "retry") == "pending"
    assert [DELIVERY.transition("sending", a) for a in ("confirm", "fail")] == ["sent", "failed"]
    assert {DELIVERY.transition(s, "skip") for s in ("new", "pending")} == {"skipped"}
    assert DELIVERY.allowed("sent") == [] and DELIVERY.allowed("failed") == [] and DELIVERY.allowed("skipped") == []
    states = {s for s, _ in DELIVERY.transitions} | set(DELIVERY.transitions.values())
    assert states - {"new"} == set(DELIVERY_STATES) and set(OPEN_DELIVERY_STATES) == {"pending", "sending"}


def test_bulk_moves_ask_the_table_where_from_and_where_to():
    assert DELIVERY.sources("claim") == ["pending"]
    assert DELIVERY.sources("skip") == ["new", "pending"]
    assert DELIVERY.sources("fail") == ["sending"]
    assert (DELIVERY.target("claim"), DELIVERY.target("retry"), DELIVERY.target("fail")) == \
        ("sending", "pending", "failed")


def test_a_refused_move_is_the_shared_409_naming_the_state_and_what_is_allowed():
    with pytest.raises(Conflict) as exc:
        DELIVERY.transition("sent", "claim")
    assert exc.value.status == 409 and exc.value.errors == {"state": ["sent"], "allowed_actions": []}
    with pytest.raises(Conflict) as exc:
        DELIVERY.transition("pending", "confirm")
    assert exc.value.errors["allowed_actions"] == ["claim", "skip"]
