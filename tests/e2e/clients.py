"""An integrator's view (issue 15): the clients ``openapi-python-client`` generates from each service's OpenAPI,
and the short campaign they play — an org tree, a pledge through to published, a three-way round through ballots
to results.  The same campaign runs against the in-process apps (tests/shared/test_generated_clients.py) and
against ``xianfeng run`` (tests/e2e/test_run.py); only how a message gets delivered differs (``settle``).

The clients are generated once per session (:func:`generated_clients`, a fixture of tests/conftest.py).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest

SERVICES = ("pledge", "survey", "notify")

# ``settle(predicate, what)``: deliver what is under way (in process) or wait for it (a real run) until
# ``predicate()`` answers something truthy; that value
Settle = Callable[[Callable[[], object], str], object]


@pytest.fixture(scope="session")
def generated_clients(tmp_path_factory, test_databases) -> dict[str, object]:
    """service → the generated client package (imported), generated once; the warnings are asserted here."""
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType

    from shared.service import discover
    from shared.settings import load
    from shared.testing.databases import environ_for_test
    from shared.testing.fakes import RecordingSender

    tmp = tmp_path_factory.mktemp("clients")
    settings = load(environ_for_test(tmp, test_databases.fresh(tmp)))
    warnings = {}
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
    yield {name: importlib.import_module(f"{name}_client") for name in SERVICES}
    sys.path.remove(str(tmp))


def client(package, base_url: str, token: str, transport: httpx.BaseTransport | None = None):
    """The generated ``AuthenticatedClient`` on ``base_url`` (through ``transport``: an in-process app)."""
    authenticated = package.AuthenticatedClient(base_url=base_url, token=token, timeout=httpx.Timeout(30.0))
    if transport is not None:
        authenticated.set_httpx_client(httpx.Client(transport=transport, base_url=base_url, timeout=30.0,
                                                    headers={"Authorization": f"Bearer {token}"}))
    return authenticated


def _ok(answer, model):
    assert isinstance(answer, model), answer.to_dict() if hasattr(answer, "to_dict") else answer
    return answer


def play_campaign(api: dict, member: Callable[[int], object], settle: Settle, code: str = "LT") -> dict:
    """The campaign through the generated clients ``api`` (service → an admin's client); ``member(person_id)``
    is that member's notify client.  Answers what it made (``root``, ``branches``, ``people``, ``pledge``,
    ``round``)."""
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

    # 1. the org tree and its people (pledge, the directory's owner)
    root = _ok(create_org.sync(client=api["pledge"], body=OrgCreate.from_dict(
        {"name": "炼铁厂党委", "code": code, "kind": "committee"})), Org)
    branches = [_ok(create_org.sync(client=api["pledge"], body=OrgCreate.from_dict(
        {"name": f"第{i}党支部", "code": f"{code}-{i}", "kind": "branch", "parent_id": root.id})), Org)
        for i in (1, 2)]
    people = [_ok(create_person.sync(client=api["pledge"], body=PersonCreate.from_dict(
        {"name": f"党员{b}{i}", "employee_no": f"{code}{b}{i}", "org_id": branch.id, "party_member": True,
         "roles": ["secretary"] if i == 0 else []})), Person)
        for b, branch in enumerate(branches) for i in range(4)]
    tree = _ok(get_org_tree.sync(root.id, client=api["pledge"]), OrgTree)
    assert [c.code for c in tree.children] == [f"{code}-1", f"{code}-2"]

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

    # 3. a three-way round: opened once survey and notify know the tree, every invited member answers on
    # their ballot (its private link read from their own inbox), closed, aggregated, results
    def knows_the_tree(name: str) -> bool:
        status = importlib.import_module(f"{name}_client.api.directory_status.get_directory_status")
        copy = status.sync(client=api[name])
        return copy.orgs >= len(branches) + 1 and copy.people >= len(people)

    for name in ("survey", "notify"):
        settle(lambda n=name: knows_the_tree(n), f"the tree in {name}'s directory")
    rnd = _ok(create_round.sync(client=api["survey"], body=RoundCreate.from_dict(
        {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": root.id,
         "closes_at": (date.today() + timedelta(days=7)).isoformat() + "T18:00:00+08:00",
         "settings": {"trim_min": 3, "min_group": 2}})), Round)
    assert _ok(open_round.sync(rnd.id, client=api["survey"]), Round).state.value == "open"

    def invitation(person) -> str | None:
        inbox = list_inbox.sync(person.id, client=member(person.id))
        return next((m.link for m in inbox.items if m.category.value == "survey_invite"), None)

    links = {p.id: settle(lambda p=p: invitation(p), f"{p.name}'s invitation") for p in people}
    for link in links.values():
        token = link.rsplit("/b/", 1)[1]
        ballot = _ok(get_ballot.sync(token, client=api["survey"]), Ballot)
        answers = [{"target_type": t.target_type.value, "target_id": t.target_id, "dimension": d, "score": 4}
                   for t in ballot.targets for d in t.dimensions]
        _ok(submit_ballot.sync(token, client=api["survey"], body=Submission.from_dict({"answers": answers})),
            Submitted)
    _ok(close_round.sync(rnd.id, client=api["survey"]), Round)
    settle(lambda: get_round.sync(rnd.id, client=api["survey"]).state.value == "results_ready", "the results")
    results = _ok(list_round_results.sync(rnd.id, client=api["survey"], page_size=500), ResultPage)
    rated = {(r.target_type.value, r.target_id) for r in results.items if r.n > 0}
    assert {("branch", b.id) for b in branches} <= rated
    assert any(r.score is not None and not r.suppressed for r in results.items)
    return {"root": root, "branches": branches, "people": people, "pledge": pid, "round": rnd}

