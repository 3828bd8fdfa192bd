"""Settings of the survey service on top of shared's, declared once, read from ``XIANFENG_SURVEY_*``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

PREFIX = "XIANFENG_SURVEY_"


@dataclass(frozen=True)
class SurveyConfig:
    # flask-limiter limits on the ballot endpoints (API and page), per client address and per token
    ballot_rate_limit: str = "300/minute"
    ballot_token_rate_limit: str = "30/minute"
    # where the limiter counts: memory:// per process; redis://… to share the counts between workers
    rate_limit_storage: str = "memory://"
    rate_limit_enabled: bool = True


def load(environ: Mapping[str, str] | None = None) -> SurveyConfig:
    env = os.environ if environ is None else environ
    defaults = SurveyConfig()
    return SurveyConfig(
        ballot_rate_limit=env.get(PREFIX + "BALLOT_RATE_LIMIT") or defaults.ballot_rate_limit,
        ballot_token_rate_limit=env.get(PREFIX + "BALLOT_TOKEN_RATE_LIMIT") or defaults.ballot_token_rate_limit,
        rate_limit_storage=env.get(PREFIX + "RATE_LIMIT_STORAGE") or defaults.rate_limit_storage,
        rate_limit_enabled=(env.get(PREFIX + "RATE_LIMIT_ENABLED", "true").strip().lower()
                            not in ("0", "false", "no", "off")),
    )
