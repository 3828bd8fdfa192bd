"""JSON logs (structlog) with a request id that follows the work into Celery tasks.

Secrets never reach a line: values under sensitive keys and anything shaped like a bearer token
or a ballot link are masked by :func:`redact` before rendering.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from typing import Any

import structlog
from structlog.contextvars import bind_contextvars, clear_contextvars, get_contextvars

SENSITIVE_KEYS = re.compile(
    r"(authorization|password|passwd|secret|token|api[_-]?key|signature|answers|cookie|grant)", re.I
)
_JWT = re.compile(r"eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}")
_BEARER = re.compile(r"(?i)bearer\s+\S+")
_BALLOT = re.compile(r"(/(?:b|api/v1/ballots)/)[\w-]{8,}")
# credentials in a URL (postgresql://user:password@host, redis://:password@host)
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@", re.I)
# a sensitive key inside text, as reprs and query strings carry it: 'password': 'x', token=x
_KEY_VALUE = re.compile(
    r"""((?:authorization|password|passwd|secret|token|api[_-]?key|signature|cookie|grant)[\w-]*['"]?\s*[:=]\s*['"]?)"""
    r"""[^'"\s,;&}]+""",
    re.I,
)
# a chat robot's URL (企业微信 ?key=…, 钉钉 ?access_token=…&timestamp=…&sign=…) is a credential
_ROBOT_QUERY = re.compile(r"""([?&](?:key|sign|access_token)=)[^&\s'"]+""", re.I)
MASK = "***"
_masked_values: set[str] = set()


def mask_values(values: Any) -> None:
    """Mask these exact values (configured secrets: token key, SMTP password) in every later line."""
    _masked_values.update(v for v in values if isinstance(v, str) and len(v) >= 8)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        for secret in _masked_values:
            if secret in value:
                value = value.replace(secret, MASK)
        value = _JWT.sub(MASK, value)
        value = _BEARER.sub("Bearer " + MASK, value)
        value = _URL_PASSWORD.sub(r"\1" + MASK + "@", value)
        value = _KEY_VALUE.sub(r"\1" + MASK, value)
        value = _ROBOT_QUERY.sub(r"\1" + MASK, value)
        return _BALLOT.sub(r"\1" + MASK, value)
    if isinstance(value, dict):
        return {k: (MASK if SENSITIVE_KEYS.search(str(k)) else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v) for v in value)
    return value


def redact(_logger, _method, event: dict) -> dict:
    return {k: (MASK if SENSITIVE_KEYS.search(k) and k != "event" else _scrub(v)) for k, v in event.items()}


_configured = False

# Libraries' INFO lines that say nothing an operator acts on (start-up chatter, one line per periodic
# task sent, received and succeeded): logged at DEBUG instead, unless ``xianfeng --verbose``.  Our own
# ``task_done`` line still tells each task that was not a periodic one; warnings and errors stay.
CHATTY_LOGGERS = (
    "alembic",  # "setup plugin …", "Context impl …", "Will assume …", "Running upgrade …"
    "celery.beat",  # "Scheduler: Sending due task …" every few seconds
    "celery.worker.strategy",  # "Task … received"
    "celery.app.trace",  # "Task … succeeded in …" (failures are ERROR and stay)
    "celery.apps",  # "… ready."
    "celery.worker.consumer",  # "Connected to redis+socket://…"
    "httpx",  # "HTTP Request: GET …" of every outgoing call (readiness probes, the demo's steps)
)


class _Demote(logging.Filter):
    """INFO records of :data:`CHATTY_LOGGERS` become DEBUG records (and pass only if DEBUG is on)."""

    def __init__(self, root: logging.Logger) -> None:
        super().__init__()
        self.root = root

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name.startswith(CHATTY_LOGGERS):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return self.root.isEnabledFor(logging.DEBUG)
        return True


def configure(level: str = "INFO", json: bool = True, verbose: bool = False) -> None:
    """Route structlog and stdlib logging (gunicorn, celery, werkzeug) through one JSON renderer.

    ``verbose``: the libraries' start-up and per-task INFO lines too (see :data:`CHATTY_LOGGERS`)."""
    global _configured
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact,
    ]
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        # a line below the level is dropped before any processor runs (one request line each request)
        processors=[structlog.stdlib.filter_by_level, *shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, redact, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    if not verbose:
        handler.addFilter(_Demote(root))
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("werkzeug").setLevel("WARNING")
    logging.captureWarnings(True)  # a Python warning is one log line like the others, not five raw ones
    _configured = True


def configure_unless_configured(level: str, json: bool = True) -> None:
    """:func:`configure`, unless this process did already (the command line, the tests): a process that
    builds an app or a worker some other way (``gunicorn 'services.survey:create_app()'``, a shell) still
    logs through the redaction, never structlog's unconfigured printer with ballot links in the clear."""
    if not _configured:
        configure(level, json)


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind_request(request_id: str, **values: Any) -> None:
    clear_contextvars()
    bind_contextvars(request_id=request_id, **values)


def current_request_id() -> str | None:
    return get_contextvars().get("request_id")
