"""Pledge rules found broken by a new user: ceilings (at_most), complete pledges not overdue, quarter ends."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.pledge.pledges.domain.carriers import period_end
from services.pledge.pledges.domain.completion import is_overdue, overall, per_target, target_completion


@pytest.mark.parametrize(("target", "value", "direction", "expected"), [
    (0, 3, "at_most", 0.0),          # three accidents against "事故 0 起"
    (0, 0, "at_most", 1.0),
    (100, 90, "at_most", 1.0),       # a cost cap kept
    (100, 125, "at_most", 0.8),      # 25 % over the cap
    (0, None, "at_most", 0.0),       # nothing reported yet
    (0, 3, "at_least", 1.0),         # "at least 0" is trivially met
    (10, 5, "at_least", 0.5),
    (10, 20, "at_least", 1.0),
    (10, -5, "at_least", 0.0),
])
def test_target_completion(target, value, direction, expected):
    assert target_completion(target, value, direction) == pytest.approx(expected)


def test_stored_targets_without_direction_are_at_least():
    targets = [{"name": "产量", "target": 10}, {"name": "事故", "target": 0, "direction": "at_most"}]
    rows = per_target(targets, {"产量": 5, "事故": 3})
    assert [(r["direction"], r["completion"]) for r in rows] == [("at_least", 0.5), ("at_most", 0.0)]
    assert overall(targets, {"产量": 10, "事故": 3}) == 0.5
    assert overall(targets, {"产量": 10, "事故": 0}) == 1.0


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 1e6), st.sampled_from(["at_least", "at_most"]))
def test_completion_is_a_share(target, value, direction):
    assert 0.0 <= target_completion(target, value, direction) <= 1.0


def test_complete_is_never_overdue():
    assert not is_overdue(date(2026, 1, 1), "published", 1.0, date(2026, 3, 1))
    assert is_overdue(date(2026, 1, 1), "published", 0.99, date(2026, 3, 1))


@pytest.mark.parametrize(("kind", "start", "end"), [
    ("quarter", date(2026, 4, 29), date(2026, 7, 28)),
    ("quarter", date(2026, 4, 1), date(2026, 6, 30)),
    ("quarter", date(2026, 11, 30), date(2027, 2, 28)),   # no 30 February: the month's last day
    ("month", date(2026, 1, 31), date(2026, 2, 28)),
    ("month", date(2028, 1, 30), date(2028, 2, 29)),
    ("month", date(2026, 3, 31), date(2026, 4, 30)),
    ("month", date(2026, 12, 15), date(2027, 1, 14)),
    ("year", date(2026, 1, 1), date(2026, 12, 31)),
    ("year", date(2028, 2, 29), date(2029, 2, 28)),
])
def test_period_end(kind, start, end):
    assert period_end(kind, start) == end


@pytest.mark.parametrize(("done", "score", "outcome"), [
    (1.0, None, "fulfilled"), (1.0, 75.0, "fulfilled"), (1.0, 74.9, "partly"), (0.8, 95.0, "partly"),
    (0.49, None, "unfulfilled"), (0.49, 59.9, "unfulfilled"), (0.49, 60.0, "partly"), (0.5, None, "partly"),
    (0.0, 10.0, "unfulfilled"),
])
def test_suggested_outcome(done, score, outcome):
    from services.pledge.pledges.domain.outcomes import differs, suggest

    assert suggest(done, score) == outcome
    assert not differs(outcome, outcome) and differs("fulfilled", "partly") and not differs(None, "partly")
