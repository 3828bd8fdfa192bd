"""When reminders are due (plain dates): 7 days before, on the day, weekly while overdue; quarters' first days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.pledge.pledges.domain.reminders import due_kind, due_wording, is_quarter_start

DAY = date(2026, 4, 1)  # the first day of a quarter


@pytest.mark.parametrize(("offset", "kind"), [
    (7, "due_in_7"), (6, None), (1, None), (0, "due_today"), (-1, None), (-7, "overdue"), (-13, None),
    (-14, "overdue"), (-70, "overdue"),
])
def test_due_kind(offset, kind):
    assert due_kind(DAY + timedelta(days=offset), DAY) == kind


def test_quarter_starts():
    assert [is_quarter_start(date(2026, m, 1)) for m in (1, 2, 4, 7, 10, 12)] == [True, False, True, True, True, False]
    assert not is_quarter_start(date(2026, 4, 2))


def test_due_wording():
    assert [due_wording("due_in_7", 7), due_wording("due_today", 0), due_wording("overdue", -14)] == [
        "还有 7 天到期", "今天到期", "已逾期 14 天"]

