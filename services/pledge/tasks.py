"""Celery tasks of the pledge service (queue ``pledge``)."""

from __future__ import annotations

import services.pledge.models  # noqa: F401
