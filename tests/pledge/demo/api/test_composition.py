"""``xianfeng seed-demo`` and ``xianfeng demo`` compose: either order, again and again, on one data dir, and
neither touches what it did not create (an org and a person made by hand, the other's group).

The demo's pledge half (directory import, carriers, pledges, review, publish, progress, look-back) is played by
``shared.campaign`` over HTTP, in process: httpx talks WSGI to the pledge app and the import job runs the way
the worker would, from its queued message.  The survey half needs real workers (tests/e2e/test_campaign.py)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select

from services.pledge.models import ContactPoint, DemoSite, Inspection, Org, Person, Pledge
from services.pledge.tasks import import_directory as import_task
from shared import campaign


class InProcess(httpx.BaseTransport):
    """The pledge app over WSGI; a queued directory import job runs after the request that queued it."""

    def __init__(self, app, sent) -> None:
        self.wsgi, self.sent, self.ran = httpx.WSGITransport(app=app), sent, set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.wsgi.handle_request(request)
        for message in self.sent.of("pledge.import_directory"):
            if message["job_id"] not in self.ran:
                self.ran.add(message["job_id"])
                import_task.run(message)
        return response


def play_pledge_half(api: campaign.Api, day: date) -> campaign.Year:
    year = campaign.Year(day)
    year.group = campaign.import_directory(api, year, campaign._quiet, mirrors=())
    for step in (campaign.set_carriers, campaign.make_pledges, campaign.review_and_publish,
                 campaign.report_progress, campaign.lookback):
        step(api, year, campaign._quiet)
    return year


def subtree(s, code: str) -> str:
    return s.scalar(select(Org.path).where(Org.code == code))


def count(s, *where) -> int:
    return s.scalar(select(func.count()).select_from(Pledge).where(*where))


def test_seed_demo_and_demo_compose_in_either_order(pledge, settings, sent, pledge_client, auth_headers):
    admin = auth_headers("admin")
    hand = pledge_client.post("/api/v1/orgs", json={"name": "手工建的党委", "code": "HG-HAND", "kind": "committee"},
                              headers=admin).get_json()
    branch = pledge_client.post("/api/v1/orgs", json={"name": "手工建的支部", "code": "HAND-B", "kind": "branch",
                                                      "parent_id": hand["id"]}, headers=admin).get_json()
    pledge_client.post("/api/v1/people", json={"name": "手工录入", "employee_no": "E100", "org_id": branch["id"],
                                               "party_member": True}, headers=admin)
    api = campaign.Api({"pledge": "http://pledge.test"}, settings.secret_key,
                       client=httpx.Client(transport=InProcess(pledge.create_app(settings), sent)))
    day = date.today() + timedelta(days=1)

    first = play_pledge_half(api, day)  # demo, then seed-demo, then both again
    seeded = pledge.seed_demo()
    second = play_pledge_half(api, day)
    again = pledge.seed_demo()

    assert "skipped" not in seeded and again["skipped"]
    assert first.group.orgs == second.group.orgs and first.group.people.keys() == second.group.people.keys()
    assert len(first.group.people) == 40 and len(second.pledges) == 8
    with pledge.db.session() as s:
        demo, seed = subtree(s, "XFDEMO-HG"), subtree(s, "HG")
        assert s.scalar(select(Org.name).where(Org.code == "HG")) == "杭钢集团党委"  # the demo renames no root
        assert s.scalar(select(Org.name).where(Org.code == "XFDEMO-HG")) == "集团党委"
        assert not demo.startswith(seed) and not seed.startswith(demo)
        assert count(s, Pledge.org_path.startswith(demo)) == 16  # two demo runs of 8, nothing from the seed
        assert count(s, Pledge.org_path.startswith(demo), Pledge.created_by == "admin:seed-demo") == 0
        assert count(s, Pledge.org_path.startswith(seed)) == seeded["pledges"]  # the seed once, no demo pledges
        assert count(s, Pledge.org_path.startswith(subtree(s, "HG-HAND"))) == 0  # the hand-made org: untouched
        assert s.scalar(select(Org.name).where(Org.code == "HG-HAND")) == "手工建的党委"
        assert s.scalar(select(Person.org_id).where(Person.employee_no == "E100")) == branch["id"]
        demo_orgs = select(Org.id).where(Org.path.startswith(demo))
        for model in (ContactPoint, DemoSite, Inspection):
            assert s.scalar(select(func.count()).select_from(model).where(model.org_id.in_(demo_orgs))) == 0
        people = s.scalar(select(func.count()).select_from(Person))
        assert people == seeded["people"] + 40 + 1
