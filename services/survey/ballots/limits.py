"""flask-limiter on the public ballot endpoints: per client address and per token (429 in the error shape).

The limits are settings (``XIANFENG_SURVEY_BALLOT_RATE_LIMIT``, ``…_TOKEN_RATE_LIMIT``, ``…_RATE_LIMIT_STORAGE``,
``…_RATE_LIMIT_ENABLED``); the wiring names the blueprints they cover.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def _token_key() -> str:
    return (request.view_args or {}).get("token", "") or get_remote_address()


def rate_limit(app: Flask, blueprints: Iterable[Blueprint]) -> Limiter:
    settings = app.config["XIANFENG_SETTINGS"]
    limiter = Limiter(get_remote_address, app=app, storage_uri=settings.survey_rate_limit_storage,
                      default_limits=[], enabled=settings.survey_rate_limit_enabled, headers_enabled=True)
    for blp in blueprints:
        limiter.limit(settings.survey_ballot_rate_limit)(blp)
        limiter.limit(settings.survey_ballot_token_rate_limit, key_func=_token_key)(blp)
    return limiter
