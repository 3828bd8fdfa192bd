"""A round's settings: DOMAIN.md's defaults, what a creator may change, inclusive grade bands."""

from __future__ import annotations

from services.survey.rounds.domain.rules import grade, round_settings


def test_grade_bands_are_inclusive():
    s = round_settings({})
    assert [grade(x, s) for x in (100, 90, 89.99, 75, 74.9, 60, 59.99, 0)] == [
        "优秀", "优秀", "合格", "合格", "基本合格", "基本合格", "不合格", "不合格"]
