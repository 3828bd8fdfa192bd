"""Serve a Flask app factory with gunicorn (gthread workers), as the images do."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from gunicorn.app.base import BaseApplication

from shared.supervisor import die_with_parent


class _Gunicorn(BaseApplication):
    def __init__(self, factory: Callable[[], Flask], options: dict) -> None:
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.factory()


def _worker_dies_with_master(_arbiter, _worker) -> None:
    """A gunicorn worker goes when its master goes, even on SIGKILL (it would hold the port otherwise)."""
    die_with_parent()


def serve(factory: Callable[[], Flask], host: str, port: int, workers: int, verbose: bool = False) -> int:
    _Gunicorn(factory, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        # idle keep-alive connections stay open long enough that a phone (or a load balancer) reusing one
        # after a pause does not meet a connection closed under it (gunicorn's default is 2 s)
        "keepalive": 30,
        "graceful_timeout": 20,
        "accesslog": None,
        "loglevel": "info" if verbose else "warning",
        "post_fork": _worker_dies_with_master,
    }).run()
    return 0
