"""pledge — the directory (orgs, people), carriers, pledges and their ledger, supervision."""

from flask import Flask

from services.pledge.app import service
from shared.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    return service.create_app(settings)


__all__ = ["create_app", "service"]
