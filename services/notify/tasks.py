"""Celery tasks of the notify service (queue ``notify``)."""

from __future__ import annotations

from services.notify.extensions import service
from services.notify.models import directory
from shared.directory import register_consumer

directory_changed = register_consumer(service, directory)
