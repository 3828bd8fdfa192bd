"""Celery tasks of the survey service (queue ``survey``)."""

from __future__ import annotations

from services.survey.extensions import service
from services.survey.models import directory
from shared.directory import register_consumer

directory_changed = register_consumer(service, directory)
