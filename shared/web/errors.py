"""The error shape on the wire: every ApiError, Werkzeug/webargs error and unexpected exception → JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy.exc
import structlog
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from shared.errors import MAX_ID, MAX_INT, STATUS_KEYS, ApiError, ValidationFailed, payload
from shared.i18n import bilingual, field_message, text

log = structlog.get_logger(__name__)

def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs nests errors as {location: {field: [msgs] | {index: ...}}}: flatten to dotted names."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for name, value in messages.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                out[key] = [field_message(v) for v in value]
            else:
                out.update(_flatten(value, key))
    elif isinstance(messages, list | tuple):
        out[prefix or "_schema"] = [field_message(str(v)) for v in messages]
    elif messages is not None:
        out[prefix or "_schema"] = [field_message(str(messages))]
    return out


_LOCATIONS = ("json", "query", "querystring", "form", "files", "headers", "view_args", "json_or_form")


def _webargs_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    messages = data.get("messages") or data.get("errors") or {}
    if isinstance(messages, Mapping) and set(messages) <= set(_LOCATIONS):
        merged: dict[str, list[str]] = {}
        for value in messages.values():
            merged.update(_flatten(value))
        return merged
    return _flatten(messages)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        return handle_unexpected(error)
    data = getattr(error, "data", None) or {}
    errors = _webargs_errors(data) if data else {}
    key = STATUS_KEYS.get(status, "bad_request")
    if status == 400 and "json" in str(data.get("messages", "")).lower():
        key = "bad_json"
    if status == 422 and "_schema" in errors and errors["_schema"] == [text("bad_json")]:
        key = "bad_json"
    body = payload(status, key, text(key), errors)
    response = jsonify(body)
    response.status_code = status
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_api_error(error: ApiError):
    translated = {name: [field_message(m) for m in msgs] for name, msgs in error.errors.items()}
    response = jsonify(payload(error.status, error.key, error.message(), translated))
    response.status_code = error.status
    return response


def handle_database_unavailable(error: BaseException):
    """The database did not answer in time or refused the connection (pool exhausted, server restarting,
    too many connections, a lock wait or deadlock given up): 503 with ``Retry-After``, not a 500 —
    nothing was changed (the transaction rolled back) and the same request may simply be sent again."""
    log.warning("database_unavailable", error=type(error).__name__, detail=str(error).splitlines()[0][:200])
    response = jsonify(payload(503, "service_unavailable", text("service_unavailable")))
    response.status_code = 503
    response.headers["Retry-After"] = "1"
    return response


def handle_unexpected(error: BaseException):
    original = getattr(error, "original_exception", None) or error
    log.error("unhandled_exception", exc_info=original)
    response = jsonify(payload(500, "internal_error", text("internal_error")))
    response.status_code = 500
    return response


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids"))


def _unstorable(value: Any, path: str, limit: int = MAX_INT) -> list[tuple[str, str]]:
    """(field, problem) for values no database here can store: NUL characters, integers too wide
    for their column (ids beyond 32 bits, anything beyond 64)."""
    if isinstance(value, str):
        return [(path or "_body", "nul")] if "\x00" in value else []
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [(path or "_body", "int")] if abs(value) > limit else []
    if isinstance(value, Mapping):
        found = [(f"{path}.{k}" if path else str(k), "nul") for k in value if "\x00" in str(k)]
        for k, v in value.items():
            found += _unstorable(v, f"{path}.{k}" if path else str(k), MAX_ID if _is_id(str(k)) else MAX_INT)
        return found
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _unstorable(v, f"{path}.{i}" if path else str(i), limit)]
    return []


def _too_big(name: str, value: str) -> bool:
    digits = value.lstrip("+-")
    limit = MAX_ID if _is_id(name) else MAX_INT
    return digits.isdigit() and (len(digits) > 19 or int(digits) > limit)


# What a UTF-8 JSON body must contain for anything in it to be unstorable: a NUL (only ever the escape
# \u0000: the parser refuses raw control characters) or a run of 10 digits (every integer beyond MAX_ID
# has one).  A body without either is not walked — most bodies, a ballot's 20 answers among them.
_MAYBE_UNSTORABLE = re.compile(rb"\\u0000|[0-9]{10}")


def _may_hold_unstorable(raw: bytes) -> bool:
    return json.detect_encoding(raw) != "utf-8" or _MAYBE_UNSTORABLE.search(raw) is not None


def reject_unstorable_input() -> None:
    """422 for NUL characters anywhere in the query or the JSON body, and for integers wider than
    their column (JSON numbers, and numeric query values other than the free-text ``q``): no
    database stores them (PostgreSQL refuses NUL in text and out-of-range integers, SQLite
    overflows), so they are bad input, named by field, never a 500 further down."""
    bad = [(name, "nul") for name, value in request.args.items(multi=True) if "\x00" in name + value]
    bad += [(name, "int") for name, value in request.args.items(multi=True) if name != "q" and _too_big(name, value)]
    if request.is_json and _may_hold_unstorable(request.get_data(cache=True)):
        bad += _unstorable(request.get_json(silent=True), "")
    if bad:
        messages = {"nul": bilingual("不允许包含 NUL 字符", "NUL characters are not allowed"),
                    "int": bilingual("数值超出范围", "Number out of range")}
        errors: dict[str, list[str]] = {}
        for name, problem in bad:
            errors.setdefault(name, []).append(messages[problem])
        raise ValidationFailed(errors=errors)


def register_error_handlers(app: Flask) -> None:
    app.before_request(reject_unstorable_input)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(sqlalchemy.exc.OperationalError, handle_database_unavailable)
    app.register_error_handler(sqlalchemy.exc.TimeoutError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
