"""HTTP endpoints of the survey service (thin: schema in, one use case, schema out)."""

from __future__ import annotations

from flask import Flask

from services.survey.extensions import service
from services.survey.models import directory
from shared.directory import status_blueprint
from shared.web import Api


def register(app: Flask, api: Api) -> None:
    api.register_blueprint(status_blueprint(service, directory))
