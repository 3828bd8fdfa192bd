"""When pooled answer sets are released, how many, and in what order: plain functions."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.ballots.domain.release import batch_floor, pick, release_size, shuffled


def test_the_floor_is_the_larger_of_min_group_and_release_batch():
    assert batch_floor({"min_group": 3, "release_batch": 10}) == 10
    assert batch_floor({"min_group": 12, "release_batch": 10}) == 12
    assert batch_floor({"min_group": 3}) == 3  # rounds made before the setting existed


def test_open_rounds_wait_for_two_batches_and_keep_one_back():
    assert [release_size(n, 5, closing=False) for n in (0, 4, 5, 9, 10, 11, 37)] == [0, 0, 0, 0, 5, 6, 32]
    assert [release_size(n, 5, closing=True) for n in (0, 1, 4, 9)] == [0, 1, 4, 9]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30), st.integers(1, 12))
def test_every_batch_released_is_at_least_the_floor_and_closing_too(arrivals, floor):
    """Submissions arrive in bursts, the scheduler releases after each; the closing takes the rest."""
    pooled, batches = 0, []
    for burst in arrivals:
        pooled += burst
        n = release_size(pooled, floor, closing=False)
        if n:
            batches.append(n)
            pooled -= n
    batches.append(release_size(pooled, floor, closing=True))
    assert sum(batches) == sum(arrivals)
    assert all(b >= floor for b in batches[:-1])
    assert batches[-1] >= floor or sum(arrivals) < floor  # only a round with fewer submissions than that ends short


def test_pick_and_shuffle_are_permutations_not_submission_order():
    rng = random.Random(1)
    items = list(range(50))
    assert sorted(shuffled(items, rng)) == items and shuffled(items, rng) != items
    chosen = pick(items, 20, rng)
    assert len(set(chosen)) == 20 and chosen != items[:20]
    assert pick(items, 50, rng) == items
