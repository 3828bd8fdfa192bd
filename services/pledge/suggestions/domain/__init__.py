"""Rules of suggestions as plain functions on plain data."""
