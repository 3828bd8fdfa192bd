"""Plain rules: no Flask, SQLAlchemy or Celery (tests call them directly)."""
