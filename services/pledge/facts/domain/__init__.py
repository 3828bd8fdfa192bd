"""Plain rules (no Flask, SQLAlchemy or Celery: an import-linter contract checks it)."""
