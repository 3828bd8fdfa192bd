"""How the ledger (承诺台账) names a pledge's state and outcome: on the ledger a pledge is published, so a
state before publication means its look-back revision is in review."""

from __future__ import annotations

STATE_LABELS = {"published": "践诺中", "closed": "已结束", "submitted": "修订审核中", "approved": "修订已审核",
                "returned": "修订退回"}
OUTCOME_LABELS = {"fulfilled": "已兑现", "partly": "部分兑现", "unfulfilled": "未兑现"}
