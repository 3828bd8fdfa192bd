"""Aggregation: from anonymous answers to scores, ranks and suppression, as a Celery chord; re-runs."""
