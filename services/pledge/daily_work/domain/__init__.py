"""Rules of daily work as plain functions on plain data."""
