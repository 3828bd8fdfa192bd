"""The rules of supervision as plain functions: quarters, line progress, lagging lines, action completion."""

from __future__ import annotations

from datetime import date

import pytest

from services.pledge.supervision.domain import rules


@pytest.mark.parametrize(("day", "expected"), [
    (date(2024, 1, 1), (2024, 1)), (date(2024, 3, 31), (2024, 1)), (date(2024, 4, 1), (2024, 2)),
    (date(2024, 9, 30), (2024, 3)), (date(2024, 12, 31), (2024, 4)),
])
def test_quarter_of(day, expected):
    assert rules.quarter_of(day) == expected


def test_future_quarters_and_months():
    today = date(2024, 5, 15)
    assert not rules.is_future_quarter(2024, 2, today)
    assert rules.is_future_quarter(2024, 3, today)
    assert not rules.is_future_quarter(2023, 4, today)
    assert not rules.is_future_month(2024, 5, today)
    assert rules.is_future_month(2024, 6, today)
    assert rules.is_future_month(2025, 1, today)


def test_unit_of_an_org_is_its_ancestor_just_below_the_root():
    assert rules.unit_of([1]) is None
    assert rules.unit_of([1, 5]) == 5
    assert rules.unit_of([1, 5, 9, 12]) == 5


def evaluation(year, month, pb, mg, ec) -> dict:
    return {"year": year, "month": month, "party_building": pb, "management": mg, "economic": ec}


def test_line_progress_orders_by_month_and_reports_latest_mean_and_trend():
    progress = rules.line_progress([evaluation(2024, 3, 90, 70, 80), evaluation(2024, 1, 80, 60, 80),
                                    evaluation(2024, 2, 85, 65, 80)])
    pb = progress["party_building"]
    assert (pb.months, pb.latest, pb.mean, pb.trend) == (3, 90.0, 85.0, 5.0)
    assert progress["management"].trend == 5.0
    assert progress["economic"].trend == 0.0


def test_line_progress_without_evaluations_and_with_one():
    empty = rules.line_progress([])
    assert all(p.months == 0 and p.latest is None and p.trend is None for p in empty.values())
    one = rules.line_progress([evaluation(2024, 1, 70, 71, 72)])
    assert one["economic"].latest == 72.0 and one["economic"].trend is None


def test_lagging_lines_are_those_well_below_the_best_line():
    progress = rules.line_progress([evaluation(2024, 6, 92, 76, 90)])
    assert rules.lagging_lines(progress) == ["management"]
    assert rules.lagging_lines(rules.line_progress([evaluation(2024, 6, 92, 78, 90)])) == []
    assert rules.lagging_lines(rules.line_progress([])) == []


def test_overall_score_is_the_mean_of_scored_lines():
    assert rules.overall_score({"party_building": 90, "management": 80, "economic": 85}) == 85.0
    assert rules.overall_score({"party_building": 90, "management": None, "economic": 81}) == 85.5
    assert rules.overall_score({}) is None


def test_action_completion_counts_done_and_overdue_per_kind():
    today = date(2024, 6, 1)
    actions = [
        {"kind": "prescribed", "due_on": date(2024, 5, 1), "done_on": date(2024, 4, 30)},
        {"kind": "prescribed", "due_on": date(2024, 5, 1), "done_on": None},
        {"kind": "prescribed", "due_on": date(2024, 7, 1), "done_on": None},
        {"kind": "optional", "due_on": None, "done_on": None},
    ]
    completion = rules.action_completion(actions, today)
    prescribed, optional = completion["prescribed"], completion["optional"]
    assert (prescribed.total, prescribed.done, prescribed.overdue, prescribed.rate) == (3, 1, 1, 0.333)
    assert (optional.total, optional.done, optional.overdue, optional.rate) == (1, 0, 0, 0.0)
    assert rules.action_completion([], today)["optional"].rate is None
