"""``Base`` of every pledge table (a leaf: it imports nothing of the service)."""

from shared.db import make_base

Base = make_base()
