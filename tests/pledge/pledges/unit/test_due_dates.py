"""A new pledge's due dates: none before today (plain function)."""

from __future__ import annotations

from datetime import date

from services.pledge.pledges.domain.due_dates import past_due_dates

TODAY = date(2026, 12, 2)


def test_today_and_later_pass():
    assert past_due_dates({"due_on": TODAY, "targets": [{"due_on": None}, {"due_on": date(2027, 1, 1)}]}, TODAY) == {}


def test_the_pledge_and_each_target_are_named():
    errors = past_due_dates({"due_on": date(2026, 12, 1), "targets": [{"due_on": TODAY}, {"due_on": date(2025, 1, 1)}]},
                            TODAY)
    assert set(errors) == {"due_on", "targets.1.due_on"}
    assert "2026-12-02" in errors["due_on"][0]


def test_a_patch_without_dates_has_nothing_to_say():
    assert past_due_dates({"title": "改"}, TODAY) == {}
