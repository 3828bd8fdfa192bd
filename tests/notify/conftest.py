"""Notify fixtures: the task pump, a real SMTP server, a webhook receiver, settings changes."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from .support import MailBox, Pump, Receiver, free_port


@pytest.fixture
def pump(notify, sent) -> Pump:
    return Pump(notify, sent)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port; ``.handler.envelopes`` is what arrived."""
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def receiver():
    app = Receiver()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield app
    server.shutdown()


@pytest.fixture
def configure(notify, settings, sent):
    """Restart notify with some settings changed (SMTP server, webhook allow-list); returns a client."""

    def apply_settings(**changes):
        changed = dataclasses.replace(settings, **changes)
        notify.start(changed, sender=sent)
        return notify.create_app(changed).test_client()

    return apply_settings
