"""Complementary suppression as a property: whatever the group, a published total never lets a withheld target be
recovered, and no target is withheld beyond what publishing that total needs (hypothesis, no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.aggregation.domain.scoring import Cell, complementary_suppression

MIN_GROUP = 3


@st.composite
def groups(draw) -> list[Cell]:
    sizes = draw(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=8))
    return [Cell(key, n, n < MIN_GROUP) for key, n in enumerate(sizes)]  # withheld for itself below min_group


def protected(cells: list[Cell], hidden: set[int]) -> bool:
    """Subtracting the published cells from the total leaves at least two cells and MIN_GROUP ratings."""
    holding = [c for c in cells if (c.suppressed or c.key in hidden) and c.n > 0]
    return not holding or (len(holding) >= 2 and sum(c.n for c in holding) >= MIN_GROUP)


@settings(max_examples=200, deadline=None)
@given(groups())
def test_a_published_total_never_reveals_a_withheld_target(cells):
    extra, withhold_total = complementary_suppression(cells, MIN_GROUP)
    assert extra <= {c.key for c in cells if not c.suppressed}  # only published cells are hidden further
    if not withhold_total:
        assert protected(cells, extra)


@settings(max_examples=200, deadline=None)
@given(groups())
def test_no_target_is_withheld_beyond_what_the_total_needs(cells):
    extra, withhold_total = complementary_suppression(cells, MIN_GROUP)
    shown = [c for c in cells if not c.suppressed]
    if protected(cells, set()):  # nothing to protect, or the withheld ones protect each other
        assert (extra, withhold_total) == (set(), False)
    assert len(extra) <= 1 and not (extra and withhold_total)  # one more target at most, and only for a total
    if extra:
        [key] = extra
        assert len(shown) >= 2  # another target still shows
        # the smallest cell that protects the total
        assert min((c.n, c.key) for c in shown if protected(cells, {c.key})) == (cells[key].n, key)
    elif withhold_total:  # no single cell would have done, while another still shows
        assert len(shown) < 2 or not any(protected(cells, {c.key}) for c in shown)
