"""Evaluation rules of DOMAIN.md: dimensions, round settings and their defaults, grades.

Every rule is a setting of the round; :data:`DEFAULT_SETTINGS` holds the defaults of DOMAIN.md.
"""

from __future__ import annotations

import copy
import functools
from fractions import Fraction
from numbers import Rational
from typing import Any

from shared import roles as vocabulary

KINDS = ("three_way", "pledge_evaluation", "leadership")
TARGET_TYPES = ("person", "branch", "committee", "pledge", "leader", "team")
PARTS = ("self", "peer", "masses")

LEADERSHIP_ABILITIES = (("political_quality", "思想政治素质"), ("teamwork", "团结协作能力"),
                        ("execution", "工作执行能力"), ("management", "科学管理能力"), ("innovation", "开拓创新能力"))

# target type → (dimension key, Chinese label) in ballot order
DIMENSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (("awareness", "思想觉悟"), ("skill", "操作技能"), ("performance", "岗位业绩"),
               ("solidarity", "团结文明")),
    "branch": (("close_members", "贴近党员"), ("close_production", "贴近生产"), ("close_service", "贴近服务")),
    "committee": (("rally_members", "凝聚党员"), ("rally_employees", "凝聚员工"), ("rally_enterprise", "凝聚企业")),
    "pledge": (("fulfilment", "践诺情况"),),
    # 好搭档/好助手 (leadership): a member of a leadership team, rated by the others; the team, by the members
    "leader": LEADERSHIP_ABILITIES,
    "team": LEADERSHIP_ABILITIES,
}
TARGET_TYPE_LABELS = {"person": "党员（四强）", "branch": "支部（三贴近）", "committee": "党委（三凝聚）",
                      "pledge": "承诺（评诺）", "leader": "班子成员（好搭档）", "team": "领导班子（好助手）"}
SCALE_LABELS_5 = {5: "很好", 4: "较好", 3: "一般", 2: "较差", 1: "差"}

# role keys (shared.roles, the one vocabulary) of an org's committee and of its secretary; read stored
# roles through ``shared.roles.keys_of`` (a title left by older data counts as its key)
COMMITTEE_ROLES = vocabulary.COMMITTEE_ROLES
SECRETARY_ROLES = frozenset({vocabulary.SECRETARY})

DEFAULT_SETTINGS: dict[str, Any] = {
    "scale_max": 5,  # scores 1..scale_max
    "trim_min": 5,  # with at least this many ratings, drop one highest and one lowest
    "min_group": 3,  # fewer raters: no published score
    "weights": {"self": 0.2, "peer": 0.3, "masses": 0.5},  # 评诺 parts
    "grades": [{"grade": "优秀", "min": 90.0}, {"grade": "合格", "min": 75.0}, {"grade": "基本合格", "min": 60.0}],
    "fail_grade": "不合格",
    "committee_raters": "committee",  # committee (secretary and committee members) | secretary
    "allow_partial": True,  # a ballot may leave targets or dimensions unanswered
    "reminder_hours": 24,  # reminder this long before closes_at
    "invite_chunk": 500,  # invitations per notify message
    "issue_chunk": 10000,  # ballots per issuing task; a round with more raters is opened by the workers
    # people in scope up to which the opening request plans the round itself (so it answers 422 for an empty
    # plan and 202 with the ballots to come); beyond, the workers plan it too (10^5 people plan in ~1 s)
    "plan_within_request": 100_000,
    "aggregation_chunk": 5000,  # targets per aggregation task (each task scans its range of answers once)
    "release_batch": 10,  # answer sets released into the answers table together (at least min_group)
}


def round_settings(given: dict[str, Any] | None) -> dict[str, Any]:
    """The defaults overlaid with what the round's creator set (weights merge key by key)."""
    merged = copy.deepcopy(DEFAULT_SETTINGS)
    for key, value in (given or {}).items():
        if key == "weights":
            merged["weights"].update(value)
        else:
            merged[key] = value
    merged["grades"] = sorted(merged["grades"], key=lambda g: -g["min"])
    return merged


def dimension_keys(target_type: str) -> list[str]:
    return [key for key, _ in DIMENSIONS[target_type]]


def dimension_labels() -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for dims in DIMENSIONS.values():
        seen.update(dims)
    return [{"key": k, "label": v} for k, v in seen.items()]


def scale(settings: dict[str, Any]) -> dict[str, Any]:
    top = settings["scale_max"]
    labels = {str(v): SCALE_LABELS_5.get(v, str(v)) if top == 5 else str(v) for v in range(top, 0, -1)}
    return {"min": 1, "max": top, "labels": labels}


def exact(value: Any) -> Fraction:
    """A number as an exact fraction: integers and fractions as they are, a decimal setting as the
    decimal written (``0.2`` → 1/5, not the binary float nearest it)."""
    if isinstance(value, Fraction):
        return value
    return _exact(value)


@functools.lru_cache(maxsize=256)
def _exact(value: Any) -> Fraction:  # settings repeat (bounds, weights): parse each once
    return Fraction(value) if isinstance(value, Rational) else Fraction(str(value))


def grade(score: Fraction | int | float, settings: dict[str, Any]) -> str:
    """Grade bands are inclusive lower bounds (优秀 ≥ 90, 合格 ≥ 75, 基本合格 ≥ 60, else 不合格),
    compared exactly: pass the exact score (a float is taken as the decimal it prints as)."""
    value = exact(score)
    for band in settings["grades"]:
        if value >= exact(band["min"]):
            return band["grade"]
    return settings["fail_grade"]
