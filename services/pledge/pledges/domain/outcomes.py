"""The outcome an evaluation suggests when a pledge is closed (plain rules).

From completion (0–1) and the 评诺 score (0–100, None before any evaluation), with the grade bounds of the
evaluation rules (合格 ≥ 75, 基本合格 ≥ 60):
- ``fulfilled`` 已兑现: every target met and, if evaluated, at least 合格;
- ``unfulfilled`` 未兑现: under half done and, if evaluated, below 基本合格;
- ``partly`` 部分兑现: everything between.
"""

from __future__ import annotations

PASS, BASIC = 75, 60


def suggest(completion: float, score: float | None) -> str:
    if completion >= 1.0 and (score is None or score >= PASS):
        return "fulfilled"
    if completion < 0.5 and (score is None or score < BASIC):
        return "unfulfilled"
    return "partly"


def differs(chosen: str | None, suggested: str | None) -> bool:
    return chosen is not None and suggested is not None and chosen != suggested
