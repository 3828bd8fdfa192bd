"""An integrator's view (issue 15): ``openapi-python-client`` generates a client from each service's OpenAPI with
zero warnings (once per session: ``generated_clients``, tests/e2e/clients.py), and the generated clients play the
short campaign (``play_campaign``) against the three in-process apps; tests/e2e/test_run.py plays it against
``xianfeng run``.

Here the campaign speaks HTTP through ``httpx.WSGITransport`` to the apps, and the messages the services send
each other are delivered in this process (:class:`Bus`) — no broker, no worker processes.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx
from e2e.clients import SERVICES, client, play_campaign

from services.survey.aggregation import inline
from services.survey.rounds.domain.messages import AggregateRound
from shared import auth
from shared.testing.fakes import RecordingSender

AGGREGATE = "survey.aggregate_round"  # a Celery chord: run in this process by ``inline.run`` instead


def test_each_spec_generates_a_whole_client(generated_clients):
    pledges = importlib.import_module("pledge_client.api.pledges")
    rounds = importlib.import_module("survey_client.api.rounds")
    assert {"create_pledge", "submit_pledge", "review_pledge", "publish_pledge"} <= set(_modules(pledges))
    assert {"create_round", "open_round", "close_round", "list_round_results"} <= set(_modules(rounds))
    assert hasattr(importlib.import_module("survey_client.models"), "Round")  # was dropped: 12 warnings


def _modules(package) -> list[str]:
    return [p.stem for p in Path(package.__file__).parent.glob("*.py") if p.stem != "__init__"]


class Bus:
    """The broker between the in-process services: each message the outbox relays sent goes to the service whose
    Celery app has that task, in order."""

    def __init__(self, services: dict, sent: RecordingSender) -> None:
        self.services, self.sent, self.cursor = services, sent, 0

    def run(self) -> int:
        ran = 0
        while self.cursor < len(self.sent.sent):
            message = self.sent.sent[self.cursor]
            self.cursor += 1
            owner = next((s for s in self.services.values() if message.task in s.celery.tasks), None)
            if message.task == AGGREGATE:
                inline.run(self.services["survey"].unit_of_work, AggregateRound.from_payload(message.payload).round_id)
            elif owner is not None:
                owner.celery.tasks[message.task](message=message.payload)
            ran += 1
        return ran

    def settle(self, predicate, what: str):
        self.run()
        value = predicate()
        assert value, f"{what}: not there once every message was delivered"
        return value


def test_a_short_campaign_through_the_generated_clients(generated_clients, services, settings, sent, pledge,
                                                         survey, notify):
    apps = {name: services[name].create_app(settings) for name in SERVICES}

    def on(name: str, token: str):
        return client(generated_clients[name], "http://testserver", token, httpx.WSGITransport(app=apps[name]))

    admin = auth.mint(settings.secret_key, roles=("admin",), ttl=600)
    api = {name: on(name, admin) for name in SERVICES}
    member = lambda person_id: on("notify", auth.mint(settings.secret_key, roles=("member",),  # noqa: E731
                                                      sub=str(person_id), ttl=600))
    play_campaign(api, member, Bus(services, sent).settle)
