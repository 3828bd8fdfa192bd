"""Notify fixtures: the task pump, a real SMTP server, a webhook receiver, settings changes."""

from __future__ import annotations

import dataclasses

import pytest
from aiosmtpd.controller import Controller

from shared.testing.serving import serving

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
    with serving(app) as base:
        app.url = f"{base}/hook"
        yield app


@pytest.fixture
def configure(notify, settings, sent):
    """Restart notify with some settings changed (SMTP server, webhook allow-list); returns a client."""

    def apply_settings(**changes):
        changed = dataclasses.replace(settings, **changes)
        notify.start(changed, sender=sent)
        return notify.create_app(changed).test_client()

    return apply_settings
