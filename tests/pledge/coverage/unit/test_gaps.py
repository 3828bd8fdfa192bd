"""Coverage rules on plain data: windows, paging across kinds, weeks, the nudge's lines."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from services.pledge.coverage.domain.gaps import KINDS, Window, nudge_lines, slices, week_of


def test_window():
    w = Window(date(2026, 8, 15))
    assert (w.year_start, w.quarter, w.quarter_start) == (date(2026, 1, 1), 3, date(2026, 7, 1))
    assert w.approved_before == date(2026, 8, 9) and w.quiet_before == date(2026, 7, 17)
    assert Window(date(2026, 12, 31)).quarter_start == date(2026, 10, 1)


def test_slices_walk_kind_after_kind():
    counts = {"no_pledge": 3, "unpublished": 0, "no_progress": 2, "contact_unvisited": 4}
    assert slices(counts, 0, 2) == [("no_pledge", 0, 2)]
    assert slices(counts, 2, 3) == [("no_pledge", 2, 1), ("no_progress", 0, 2)]
    assert slices(counts, 5, 10) == [("contact_unvisited", 0, 4)]
    assert slices(counts, 9, 10) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=len(KINDS), max_size=len(KINDS)), st.integers(0, 50), st.integers(1, 9))
def test_slices_cover_each_row_once(ns, offset, limit):
    counts = dict(zip(KINDS, ns, strict=True))
    everything = [(k, i) for k in KINDS for i in range(counts[k])]
    page = [(k, o + i) for k, o, n in slices(counts, offset, limit) for i in range(n)]
    assert page == everything[offset:offset + limit]


def test_weeks_and_lines():
    assert week_of(date(2026, 11, 30)) == week_of(date(2026, 12, 6)) == "2026-W49"
    assert week_of(date(2026, 12, 7)) == "2026-W50" and week_of(date(2027, 1, 1)) == "2026-W53"
    assert nudge_lines("炼钢一支部", ["no_pledge", "no_progress", "no_pledge"]) == [
        "炼钢一支部：尚无公开承诺 2 项", "炼钢一支部：超过 30 天无进展 1 项"]
