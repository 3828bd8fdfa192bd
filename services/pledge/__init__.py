"""pledge — the directory (orgs, people, import), carriers and pledges, their ledger, supervision, demo data.

One folder per concept: ``directory/`` (``importing/``), ``pledges/``, ``ledger/``, ``supervision/``, ``demo/``;
the wiring is ``app.py`` (the service object), ``tasks.py``, ``models.py`` and ``db.py`` (``Base``).
"""

from flask import Flask

from services.pledge.app import service
from shared.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    return service.create_app(settings)


__all__ = ["create_app", "service"]
