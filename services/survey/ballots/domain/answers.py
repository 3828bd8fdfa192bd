"""Checking a ballot's answers: every answer names a target of the ballot, a dimension of that
target's type and a score on the scale; each (target, dimension) at most once; all of them unless
the round allows partial ballots.  Errors are collected per answer (``answers.<i>.<field>``).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.survey.rounds.domain.rules import dimension_keys
from shared.i18n import bilingual


@dataclass(frozen=True)
class Offered:
    """A target on the ballot: its row in the round and the rater's 评诺 part."""

    ref: int
    part: str | None


@dataclass(frozen=True)
class Checked:
    ref: int
    dimension: str
    part: str | None
    score: int


def check_answers(answers: list[dict], offered: dict[tuple[str, int], Offered], scale_max: int,
                  allow_partial: bool) -> tuple[list[Checked], dict[str, list[str]]]:
    rows: list[Checked] = []
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    for i, answer in enumerate(answers):
        where = f"answers.{i}"
        target = offered.get((answer["target_type"], answer["target_id"]))
        if target is None:
            errors[f"{where}.target_id"] = [bilingual("该对象不在本选票上", "not a target of this ballot")]
            continue
        if answer["dimension"] not in dimension_keys(answer["target_type"]):
            errors[f"{where}.dimension"] = [bilingual("该维度不适用于此对象", "not a dimension of this target")]
            continue
        if not 1 <= answer["score"] <= scale_max:
            errors[f"{where}.score"] = [bilingual("分值超出量表范围", "score outside the scale")]
            continue
        if (target.ref, answer["dimension"]) in seen:
            errors[f"{where}.dimension"] = [bilingual("重复评分", "answered twice")]
            continue
        seen.add((target.ref, answer["dimension"]))
        rows.append(Checked(target.ref, answer["dimension"], target.part, answer["score"]))
    if not allow_partial and not errors:
        expected = sum(len(dimension_keys(kind)) for kind, _ in offered)
        if len(seen) < expected:
            errors["answers"] = [bilingual("请完成所有评分项", "every item must be answered")]
    return rows, errors
