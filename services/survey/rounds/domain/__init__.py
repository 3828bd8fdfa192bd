"""Survey rules as plain functions on plain data: no Flask, no SQLAlchemy (tests call them directly)."""
