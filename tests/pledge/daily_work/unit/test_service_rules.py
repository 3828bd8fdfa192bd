"""Posts, volunteer hours and pairs on plain data: active on a day, person-hours per person and in total."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from services.pledge.daily_work.domain.service import active_on, ending_within, ends_before_start, person_hours

D = date(2026, 6, 1)


def test_a_post_is_active_from_since_through_until():
    assert active_on(D, None, D) and active_on(D, date(2026, 6, 30), date(2026, 6, 30))
    assert not active_on(D, date(2026, 6, 30), date(2026, 7, 1)) and not active_on(D, None, date(2026, 5, 31))
    assert ends_before_start(D, date(2026, 5, 31)) and not ends_before_start(D, D) and not ends_before_start(D, None)
    assert ending_within(date(2026, 6, 8), D, 7) and not ending_within(date(2026, 6, 9), D, 7)
    assert not ending_within(None, D, 7) and not ending_within(date(2026, 5, 31), D, 7)


def test_person_hours_in_total_and_for_one_person():
    activities = [(4.0, [1, 2, 3]), (2.5, [2]), (0.1, [1, 2, 3])]
    assert person_hours(activities) == (12 + 2.5 + 0.3, 3)
    assert person_hours(activities, 2) == (4 + 2.5 + 0.1, 1)
    assert person_hours(activities, 9) == (0.0, 0)
    assert person_hours([]) == (0.0, 0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.5, 1.0, 2.0, 3.5, 8.0]),
                          st.lists(st.integers(1, 6), min_size=1, max_size=6, unique=True)), max_size=8))
def test_the_total_is_the_sum_of_every_persons_share(activities):
    total, people = person_hours(activities)
    shares = [person_hours(activities, p)[0] for p in range(1, 7)]
    assert abs(total - sum(shares)) < 1e-9
    assert people == sum(1 for s in shares if s > 0)
