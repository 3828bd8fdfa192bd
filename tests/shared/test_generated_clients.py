"""An integrator's view (issue 15): ``openapi-python-client`` generates a client from each service's OpenAPI with
zero warnings, and the generated clients play a short campaign against the three in-process apps — an org tree,
a pledge through to published, a three-way round through ballots to results.

Generation runs once per session (about a second per spec); the campaign speaks HTTP through
``httpx.WSGITransport`` to the apps, and the messages the services send each other are delivered in this
process (:class:`Bus`) — no broker, no worker processes.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from openapi_python_client import generate
from openapi_python_client.config import Config, ConfigFile, MetaType

from services.survey.aggregation import inline
from shared import auth
from shared.service import discover
from shared.settings import load
from shared.testing.databases import environ_for_test
from shared.testing.fakes import RecordingSender

SERVICES = ("pledge", "survey", "notify")
NOT_HERE = {"survey.aggregate_round"}  # a Celery chord: run in this process by ``inline.run`` instead


@pytest.fixture(scope="session")
def generated(tmp_path_factory, test_databases) -> dict[str, object]:
    """service → the generated client package (imported), generated once; the warnings are asserted here."""
    tmp = tmp_path_factory.mktemp("clients")
    settings = load(environ_for_test(tmp, test_databases.fresh(tmp)))
    packages, warnings = {}, {}
    for name, service in discover().items():
        service.start(settings, sender=RecordingSender())
        spec = tmp / f"{name}.json"
        spec.write_text(json.dumps(service.create_app(settings).test_client().get("/openapi.json").get_json()))
        config = Config.from_sources(ConfigFile(post_hooks=[], package_name_override=f"{name}_client"),
                                     MetaType.NONE, spec, "utf-8", overwrite=True, output_path=tmp / f"{name}_client")
        warnings[name] = [f"{e.header}: {e.detail}" for e in generate(config=config)]
        service.runtime.db.dispose()
    assert warnings == {name: [] for name in SERVICES}
    sys.path.insert(0, str(tmp))
    packages = {name: importlib.import_module(f"{name}_client") for name in SERVICES}
    yield packages
    sys.path.remove(str(tmp))


def test_each_spec_generates_a_whole_client(generated):
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
            if owner is not None and message.task not in NOT_HERE:
                owner.celery.tasks[message.task](message=message.payload)
                ran += 1
        return ran


def _client(package, app, token: str):
    http = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://testserver",
                        headers={"Authorization": f"Bearer {token}"})
    return package.AuthenticatedClient(base_url="http://testserver", token=token).set_httpx_client(http)


def _ok(answer, model):
    assert isinstance(answer, model), answer.to_dict() if hasattr(answer, "to_dict") else answer
    return answer


def test_a_short_campaign_through_the_generated_clients(generated, services, settings, sent, pledge, survey, notify):
    from notify_client.api.inbox import list_inbox
    from pledge_client.api.orgs import create_org, get_org_tree
    from pledge_client.api.people import create_person
    from pledge_client.api.pledges import create_pledge, get_pledge, publish_pledge, review_pledge, submit_pledge
    from pledge_client.models import (
        Org,
        OrgCreate,
        OrgTree,
        Person,
        PersonCreate,
        Pledge,
        PledgeCreate,
        Publish,
        Review,
        TransitionComment,
    )
    from survey_client.api.ballots import get_ballot, submit_ballot
    from survey_client.api.rounds import close_round, create_round, get_round, list_round_results, open_round
    from survey_client.models import Ballot, ResultPage, Round, RoundCreate, Submission, Submitted

    admin = auth.mint(settings.secret_key, roles=("admin",), ttl=600)
    api = {name: _client(generated[name], services[name].create_app(settings), admin) for name in SERVICES}
    bus = Bus(services, sent)

    # 1. the org tree and its people (pledge, the directory's owner)
    root = _ok(create_org.sync(client=api["pledge"], body=OrgCreate.from_dict(
        {"name": "炼铁厂党委", "code": "LT", "kind": "committee"})), Org)
    branches = [_ok(create_org.sync(client=api["pledge"], body=OrgCreate.from_dict(
        {"name": f"第{i}党支部", "code": f"LT-{i}", "kind": "branch", "parent_id": root.id})), Org) for i in (1, 2)]
    people = [_ok(create_person.sync(client=api["pledge"], body=PersonCreate.from_dict(
        {"name": f"党员{b}{i}", "employee_no": f"E{b}{i}", "org_id": branch.id, "party_member": True,
         "roles": ["secretary"] if i == 0 else []})), Person)  # keys: titles are stored as given until i12e
        for b, branch in enumerate(branches) for i in range(4)]
    tree = _ok(get_org_tree.sync(root.id, client=api["pledge"]), OrgTree)
    assert [c.code for c in tree.children] == ["LT-1", "LT-2"]

    # 2. a member's pledge through review to published
    body = PledgeCreate.from_dict({"pledger_type": "person", "pledger_id": people[1].id,
                                   "category": "first_class_results", "title": "合理化建议 4 条",
                                   "due_on": (date.today() + timedelta(days=90)).isoformat(),
                                   "targets": [{"name": "合理化建议", "unit": "条", "target": 4}]})
    pid = _ok(create_pledge.sync(client=api["pledge"], body=body), Pledge).id
    _ok(submit_pledge.sync(pid, client=api["pledge"], body=TransitionComment.from_dict({})), Pledge)
    _ok(review_pledge.sync(pid, client=api["pledge"], body=Review.from_dict({"decision": "approve"})), Pledge)
    _ok(publish_pledge.sync(pid, client=api["pledge"], body=Publish.from_dict({"channels": ["board"]})), Pledge)
    assert _ok(get_pledge.sync(pid, client=api["pledge"]), Pledge).state.value == "published"
    bus.run()  # the directory and the pledge reach survey and notify

    # 3. a three-way round: open, every invited member answers on their ballot, closed, results
    rnd = _ok(create_round.sync(client=api["survey"], body=RoundCreate.from_dict(
        {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": root.id,
         "closes_at": (date.today() + timedelta(days=7)).isoformat() + "T18:00:00+08:00",
         "settings": {"trim_min": 3, "min_group": 2}})), Round)
    assert _ok(open_round.sync(rnd.id, client=api["survey"]), Round).state.value == "open"
    bus.run()  # the invitations reach notify's inboxes
    tokens = {}
    notify_app = services["notify"].create_app(settings)
    for person in people:  # a ballot link is private: the member reads their own inbox
        member = auth.mint(settings.secret_key, roles=("member",), sub=str(person.id), ttl=600)
        inbox = list_inbox.sync(person.id, client=_client(generated["notify"], notify_app, member))
        link = next(m.link for m in inbox.items if m.category.value == "survey_invite")
        tokens[person.id] = link.rsplit("/b/", 1)[1]
    assert len(tokens) == len(people)
    for token in tokens.values():
        ballot = _ok(get_ballot.sync(token, client=api["survey"]), Ballot)
        answers = [{"target_type": t.target_type.value, "target_id": t.target_id, "dimension": d, "score": 4}
                   for t in ballot.targets for d in t.dimensions]
        _ok(submit_ballot.sync(token, client=api["survey"], body=Submission.from_dict({"answers": answers})),
            Submitted)
    _ok(close_round.sync(rnd.id, client=api["survey"]), Round)
    bus.run()
    assert inline.run(survey.unit_of_work, rnd.id)
    assert _ok(get_round.sync(rnd.id, client=api["survey"]), Round).state.value == "results_ready"
    results = _ok(list_round_results.sync(rnd.id, client=api["survey"], page_size=500), ResultPage)
    rated = {(r.target_type.value, r.target_id) for r in results.items if r.n > 0}
    assert {("branch", b.id) for b in branches} <= rated
    assert any(r.score is not None and not r.suppressed for r in results.items)
