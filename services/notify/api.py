"""HTTP endpoints of the notify service (thin: schema in, one use case, schema out)."""

from __future__ import annotations

from flask import Flask

from services.notify.models import directory
from services.notify.resources import inbox, notifications, preferences, webhooks
from shared.directory import status_blueprint
from shared.web import Api


def register(app: Flask, api: Api) -> None:
    api.register_blueprint(status_blueprint(directory))
    for module in (notifications, inbox, preferences, webhooks):
        api.register_blueprint(module.blp)
