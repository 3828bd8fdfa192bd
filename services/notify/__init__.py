"""notify — notifications over inbox, email and webhooks; preferences; reminders."""

from flask import Flask

from services.notify.app import service
from shared.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    return service.create_app(settings)


__all__ = ["create_app", "service"]
