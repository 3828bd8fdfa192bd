"""survey — 三测评 and 评诺 rounds, anonymous one-time ballots, overnight aggregation, results."""

from flask import Flask

from services.survey.app import service
from shared.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    return service.create_app(settings)


__all__ = ["create_app", "service"]
