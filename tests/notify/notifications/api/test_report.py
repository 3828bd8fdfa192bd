"""The delivery report against a mail server that refuses an address: the list of notifications with
counts by channel and state, and who did not get one and why, scoped to an org admin's subtree."""

import pytest
from aiosmtpd.controller import Controller

from ...support import BRANCH_A, BRANCH_B, UNIT, MailBox, free_port, load_directory, person


class RefusingBox(MailBox):
    """Refuses p3's address (550), takes every other."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("p3@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp():
    controller = Controller(RefusingBox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def report(notify, configure, refusing_smtp, auth_headers, pump):
    """Persons 1 and 2 (no address) in branch A, 3 (refused) and 4 in branch B; one notification to the unit."""
    load_directory(notify, [person(1, BRANCH_A), person(2, BRANCH_A, email=None), person(3, BRANCH_B),
                            person(4, BRANCH_B)])
    client = configure(smtp_host="127.0.0.1", smtp_port=refusing_smtp.port)
    nid = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "lookback", "subject": "回头看", "recipients": {"org_id": UNIT},
        "channels": ["inbox", "email"]}).json["id"]
    other = client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "只给一支部", "recipients": {"person_ids": [1]}}).json["id"]
    pump.run()
    return client, nid, other


def _lines(client, headers, nid, **query):
    resp = client.get(f"/api/v1/notifications/{nid}/deliveries", headers=headers, query_string=query)
    assert resp.status_code == 200, resp.json
    return [(x["person_id"], x["channel"], x["state"], x["error"]) for x in resp.json["items"]]


def test_the_list_counts_by_channel_and_state(report, auth_headers):
    client, nid, other = report
    admin = auth_headers("admin")
    page = client.get("/api/v1/notifications", headers=admin).json
    assert [n["id"] for n in page["items"]] == [other, nid] and page["total"] == 2
    counted = page["items"][1]
    assert counted["by_channel"] == {"inbox": {"sent": 4, "failed": 0, "skipped": 0, "pending": 0},
                                    "email": {"sent": 2, "failed": 1, "skipped": 1, "pending": 0}}
    assert (counted["delivered"], counted["failed"], counted["state"]) == (6, 1, "done")
    only = client.get("/api/v1/notifications?category=lookback&state=done", headers=admin).json["items"]
    assert [n["id"] for n in only] == [nid]
    later = client.get("/api/v1/notifications", headers=admin, query_string={"created_after": "2999-01-01T00:00:00Z"})
    assert later.json["total"] == 0


def test_who_did_not_get_it_and_why(report, auth_headers):
    client, nid, _ = report
    admin = auth_headers("admin")
    (failed,) = _lines(client, admin, nid, state="failed")
    assert failed[:3] == (3, "email", "failed") and "550" in failed[3]
    assert _lines(client, admin, nid, state="skipped") == [(2, "email", "skipped", "no_address")]
    assert [x[0] for x in _lines(client, admin, nid, state="delivered", channel="email")] == [1, 4]
    assert len(_lines(client, admin, nid)) == 8


def test_an_org_admin_sees_what_reaches_their_subtree_and_only_their_people(report, auth_headers):
    client, nid, other = report
    branch_b = auth_headers("org_admin", org=BRANCH_B)
    assert [n["id"] for n in client.get("/api/v1/notifications", headers=branch_b).json["items"]] == [nid]
    assert sorted({x[0] for x in _lines(client, branch_b, nid)}) == [3, 4]
    assert client.get(f"/api/v1/notifications/{other}/deliveries", headers=branch_b).status_code == 403
    branch_a = auth_headers("org_admin", org=BRANCH_A)
    assert [n["id"] for n in client.get("/api/v1/notifications", headers=branch_a).json["items"]] == [other, nid]
    assert _lines(client, branch_a, nid, state="failed") == []
    assert client.get("/api/v1/notifications", headers=auth_headers("member", sub=1)).status_code == 403


@pytest.mark.parametrize("query, field", [({"state": "lost"}, "state"), ({"channel": "fax"}, "channel")])
def test_bad_filters_are_422_naming_the_field(report, auth_headers, query, field):
    client, nid, _ = report
    resp = client.get(f"/api/v1/notifications/{nid}/deliveries", headers=auth_headers("admin"), query_string=query)
    assert resp.status_code == 422 and field in str(resp.json)
    resp = client.get("/api/v1/notifications", headers=auth_headers("admin"), query_string={"created_after": "soon"})
    assert resp.status_code == 422 and "created_after" in str(resp.json)
    assert client.get("/api/v1/notifications/999999/deliveries", headers=auth_headers("admin")).status_code == 404
