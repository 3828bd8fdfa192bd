"""Zone rules on plain data: the 5S zone's guarantees, a check's results, days without incident."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.pledge.daily_work.domain.zones import (
    FIVE_S,
    days_without_incident,
    guarantees_for,
    next_check_due,
    passed,
    result_errors,
)

START = date(2026, 1, 1)


def test_a_five_s_zone_has_the_five_guarantees_by_default_a_responsibility_zone_none():
    assert guarantees_for("five_s", None) == list(FIVE_S) and len(FIVE_S) == 5
    assert guarantees_for("responsibility", None) == []
    assert guarantees_for("five_s", ["a", "b", "a"]) == ["a", "b"]


def test_a_check_names_every_guarantee_and_no_other():
    assert result_errors(["a", "b"], {"a": True, "b": False}) == {}
    assert result_errors(["a", "b"], {"a": True, "c": True}) == {"c": "unknown", "b": "missing"}
    assert passed({"a": True, "b": True}) and not passed({"a": True, "b": False}) and not passed({})


def test_days_without_incident_count_from_the_last_incident_or_the_start():
    today = date(2026, 3, 1)
    assert days_without_incident(START, [], today) == 59
    assert days_without_incident(START, [date(2026, 2, 20), date(2026, 1, 5)], today) == 9
    assert days_without_incident(START, [today], today) == 0
    assert days_without_incident(today, [], today) == 0
    assert days_without_incident(date(2026, 2, 1), [date(2025, 12, 1)], today) == 28  # before the zone began


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), max_size=10), st.integers(min_value=0, max_value=400))
def test_days_without_incident_never_exceed_the_zones_age_nor_go_negative(offsets, age):
    today = START + timedelta(days=age)
    days = days_without_incident(START, [START + timedelta(days=o) for o in offsets], today)
    assert 0 <= days <= age


def test_a_check_is_due_every_period_from_the_last_one():
    assert next_check_due(START, None, 30) == date(2026, 1, 31)
    assert next_check_due(START, date(2026, 2, 10), 30) == date(2026, 3, 12)


def test_a_due_check_is_reminded_on_the_day_then_weekly():
    from services.pledge.daily_work.domain.zones import check_reminder_due

    due = date(2026, 3, 1)
    assert check_reminder_due(due, due) and check_reminder_due(due, due + timedelta(days=14))
    assert not check_reminder_due(due, due - timedelta(days=1)) and not check_reminder_due(due, due + timedelta(days=3))
