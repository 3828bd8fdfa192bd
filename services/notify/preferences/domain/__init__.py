"""Plain rules: no Flask, SQLAlchemy or Celery."""
