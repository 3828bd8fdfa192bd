"""How much of a year the facts of a date speak of."""

from __future__ import annotations

from datetime import date

import pytest

from services.pledge.facts.domain.years import last_day, quarters_due


@pytest.mark.parametrize(("as_of", "due"), [
    (date(2025, 6, 1), 0), (date(2026, 1, 1), 1), (date(2026, 3, 31), 1), (date(2026, 4, 1), 2),
    (date(2026, 12, 31), 4), (date(2027, 1, 1), 4),
])
def test_quarters_due(as_of, due):
    assert quarters_due(2026, as_of) == due


def test_last_day():
    assert last_day(2026, date(2026, 6, 15)) == date(2026, 6, 15)
    assert last_day(2026, date(2027, 1, 1)) == date(2026, 12, 31)
