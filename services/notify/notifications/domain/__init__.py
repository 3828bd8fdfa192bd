"""Rules of the notify service as plain functions on plain data (no Flask, no SQLAlchemy)."""
