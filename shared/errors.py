"""One error shape for every service: ``{code, error, message, errors}`` — the errors themselves.

Plain Python (no Flask): domain code raises :class:`ApiError` subclasses; ``shared.web.errors`` turns
those, every Werkzeug/webargs error and every unexpected exception into the contract's JSON,
Chinese by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.i18n import text

STATUS_KEYS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error with an HTTP status, a machine key and a translatable message."""

    status = 400
    key = "bad_request"

    def __init__(
        self,
        key: str | None = None,
        *,
        errors: Mapping[str, list[str]] | None = None,
        status: int | None = None,
        message: str | None = None,
        **params: object,
    ) -> None:
        self.key = key or self.key
        self.status = status or self.status
        self.errors = dict(errors or {})
        self.params = params
        self.explicit_message = message
        super().__init__(self.key)

    def message(self) -> str:
        return self.explicit_message or text(self.key, **self.params)


class BadRequest(ApiError):
    status, key = 400, "bad_request"


class Unauthorized(ApiError):
    status, key = 401, "unauthorized"


class Forbidden(ApiError):
    status, key = 403, "forbidden"


class NotFound(ApiError):
    status, key = 404, "not_found"


class Conflict(ApiError):
    status, key = 409, "conflict"


class ValidationFailed(ApiError):
    status, key = 422, "validation_failed"


def field_errors(**errors: str | list[str]) -> dict[str, list[str]]:
    return {name: [m] if isinstance(m, str) else list(m) for name, m in errors.items()}


def payload(status: int, key: str, message: str, errors: Mapping[str, Any] | None = None) -> dict:
    return {"code": status, "error": key, "message": message, "errors": dict(errors or {})}


MAX_INT = 2**63 - 1  # the widest integer column of any database here
MAX_ID = 2**31 - 1  # ids (``id``, ``*_id``, ``*_ids``) live in INTEGER columns: 32 bits on PostgreSQL
