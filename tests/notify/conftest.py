"""Notify fixtures: a small directory, the task pump, a real SMTP server, a webhook receiver, settings changes."""

from __future__ import annotations

import dataclasses

import pytest
from aiosmtpd.controller import Controller

from shared.testing.serving import serving

from .support import BRANCH_A, BRANCH_B, MailBox, Pump, Receiver, free_port, load_directory, person


@pytest.fixture
def people(notify):
    """Persons 1 and 2 in branch A, person 3 in branch B."""
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A), person(3, BRANCH_B)])


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
