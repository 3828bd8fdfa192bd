"""What every service's Flask app has: JSON, the error shape, OpenAPI, auth scheme, health, request ids.

A service's ``create_app`` calls :func:`create_app` here and registers its own blueprints on the
returned ``Api``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import marshmallow as ma
import structlog
from flask import Flask, Response, g, has_request_context, jsonify, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from shared import auth, i18n, metrics
from shared.logs import bind_request, new_request_id
from shared.settings import Settings
from shared.web import docs, errors, openapi

log = structlog.get_logger(__name__)


def _request_language() -> str | None:
    """The language the HTTP caller asks for (``Accept-Language``), outside a request none."""
    if not has_request_context() or not request.headers.get("Accept-Language"):
        return None
    return request.accept_languages.best_match(["zh", "en"], default="zh")


i18n.set_language_source(_request_language)


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    error = ma.fields.String(required=True, metadata={"description": "machine key, e.g. not_found"})
    message = ma.fields.String(required=True, metadata={"description": "human text (zh, or en)"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
        metadata={"description": "field name → messages"},
    )


class Api(SmorestApi):
    """flask-smorest with our error shape instead of its own."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        errors.register_error_handlers(self._app)

    def _init_spec(self, *args: Any, **kwargs: Any) -> None:
        super()._init_spec(*args, **kwargs)
        self.spec.__class__ = openapi.CompletedSpec  # rendered through openapi.complete (every operation)


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)
    service = ma.fields.String(required=True)
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: ids wider than their INTEGER column are unknown (404), not a database error."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", errors.MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(
    service: str,
    settings: Settings,
    *,
    title: str,
    description: str,
    ready_checks: dict[str, Callable[[], None]],
    metrics_collectors: Iterable[Any] = (),
) -> tuple[Flask, Api]:
    """The app with health, request ids and ``GET /metrics`` (``metrics_collectors`` add scrape-time gauges)."""
    settings.check()
    app = Flask(f"xianfeng.{service}")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=docs.ASSETS_URL,  # served by this app: /docs works without the internet
        OPENAPI_SWAGGER_UI_CONFIG=docs.SWAGGER_UI_CONFIG,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
            },
            "security": [{"bearerAuth": []}],
        },
        XIANFENG_SETTINGS=settings,
        XIANFENG_SERVICE=service,
    )
    app.url_map.converters["int"] = IdConverter
    if settings.proxy_hops:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    api = Api(app)
    docs.init_app(app)
    _request_ids(app, service)
    app.extensions["xianfeng_verifier"] = auth.Verifier(settings)
    auth.authenticate_before_parsing(app)
    metrics.init_app(app, service, settings, metrics_collectors)
    api.register_blueprint(health_blueprint(service, ready_checks))
    return app, api


_PROBES = ("/healthz", "/readyz", "/metrics")  # probes and scrapes (and the docs' assets) log at DEBUG


def _request_ids(app: Flask, service: str) -> None:
    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else new_request_id()
        g.request_id, g.started = request_id, time.perf_counter()
        bind_request(request_id, service=service, method=request.method, path=request.path)

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        elapsed = round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1)
        quiet = request.path in _PROBES or request.path.startswith(docs.ASSETS_PATH)
        (log.debug if quiet else log.info)("request", status=response.status_code, ms=elapsed)
        return response


def health_blueprint(service: str, ready_checks: dict[str, Callable[[], None]]) -> Blueprint:
    blp = Blueprint("health", __name__, description="Liveness and readiness")

    @blp.route("/healthz")
    @blp.response(200, HealthSchema)
    @blp.doc(security=[])
    def healthz():
        """The process lives"""
        return {"status": "ok", "service": service, "checks": {}}

    @blp.route("/readyz")
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="a dependency does not answer")
    @blp.doc(security=[])
    def readyz():
        """Database and broker answer"""
        checks: dict[str, str] = {}
        for name, check in ready_checks.items():
            try:
                check()
                checks[name] = "ok"
            except Exception as exc:
                checks[name] = f"failed: {type(exc).__name__}"
        failed = [n for n, v in checks.items() if v != "ok"]
        body = {"status": "ok" if not failed else "unavailable: " + ", ".join(failed),
                "service": service, "checks": checks}
        if failed:
            response = jsonify(body)
            response.status_code = 503
            return response
        return body

    return blp
