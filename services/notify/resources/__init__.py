"""Blueprints of the notify API, one module per resource."""
