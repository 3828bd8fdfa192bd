"""``/docs`` without the internet: Swagger UI's files come from the ``swagger-ui-bundle-v2`` wheel
(Apache-2.0, the spec-first project's packaging of swagger-ui-dist) and are served by the app itself.

flask-smorest renders the page (``OPENAPI_SWAGGER_UI_URL`` is :data:`ASSETS_URL`, relative to the
page, so that it also works behind an ingress that serves the service under a path prefix); the page
loads ``swagger-ui.css``, ``swagger-ui-bundle.js`` and ``swagger-ui-standalone-preset.js`` from
:data:`ASSETS_PATH`, and the online validator badge (an image from validator.swagger.io) is off.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, send_from_directory
from swagger_ui_bundle import swagger_ui_path

ASSETS_PATH = "/docs/assets/"
ASSETS_URL = "docs/assets/"  # from /docs (or /<prefix>/docs): the same folder
ASSETS = Path(str(swagger_ui_path))
# only what the page uses (not the bundle's index.html, which points at the petstore demo)
_PAGE_FILES = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")
FILES = frozenset({*_PAGE_FILES, *(f"{name}.map" for name in _PAGE_FILES), "favicon-16x16.png", "favicon-32x32.png"})
SWAGGER_UI_CONFIG = {"validatorUrl": None, "deepLinking": True}


def asset(filename: str):
    if filename not in FILES:
        abort(404)
    return send_from_directory(ASSETS, filename, max_age=24 * 3600)


def init_app(app: Flask) -> None:
    app.add_url_rule(ASSETS_PATH + "<path:filename>", "swagger_ui_asset", asset)
