"""Rules of rounds as plain functions on plain data: no Flask, SQLAlchemy or Celery (tests call them directly)."""
