"""A ballot link works for its rater alone: a private notification's link and tokens, as each reader sees them.

The recipient reads their own inbox with the working link; an admin, a system caller, the org admins above
them, the notification's status and failures, the dead-letter listing: no working ``/b/<token>``.
"""

from __future__ import annotations

import json

from shared.messages import PersonalItem, SendNotification

from ...support import BRANCH_A, UNIT, load_directory, person

TOKENS = {1: "Zq8vR2mK9xT4pL7nW3sY6bH1", 2: "Jc5fD8gA2kN7rU4wE9tQ3yM6"}
LINK = "http://survey.example/b/{}"


def _invite(notify, pump, private: bool = True) -> int:
    load_directory(notify, [person(1), person(2)])
    msg = SendNotification(
        key="survey:round:1:invite:0", category="survey_invite", subject="请参加三测评", private=private,
        body=f"打开链接填写：{LINK.format(TOKENS[1])}（本人专用）", source="survey",
        items=[PersonalItem(pid, link=LINK.format(tok), body=f"您的选票：{LINK.format(tok)} 口令 {tok}")
               for pid, tok in TOKENS.items()])
    notification = notify.celery.tasks["notify.send"](message=msg.to_payload())
    pump.run()
    return notification["id"] if isinstance(notification, dict) else notification


def _leaks(response) -> list[str]:
    text = json.dumps(response.get_json(), ensure_ascii=False)
    return [t for t in TOKENS.values() if t in text]


def test_only_the_recipient_reads_a_working_ballot_link(notify, notify_client, auth_headers, pump):
    _invite(notify, pump)
    mine = notify_client.get("/api/v1/inbox/1", headers=auth_headers("member", sub=1)).get_json()["items"]
    assert [(m["link"], m["private"]) for m in mine] == [(LINK.format(TOKENS[1]), True)]
    assert TOKENS[1] in mine[0]["body"]
    for reader in (auth_headers("admin"), auth_headers("system"), auth_headers("org_admin", org=BRANCH_A),
                   auth_headers("org_admin", org=UNIT)):
        for pid in (1, 2):
            r = notify_client.get(f"/api/v1/inbox/{pid}", headers=reader)
            assert r.status_code == 200 and len(r.get_json()["items"]) == 1
            assert not _leaks(r), reader
            [m] = r.get_json()["items"]
            assert m["link"] is None and m["private"] and m["body"] == "您的选票：*** 口令 ***"
    # another member reads nobody's inbox but their own
    assert notify_client.get("/api/v1/inbox/1", headers=auth_headers("member", sub=2)).status_code == 403
    assert not _leaks(notify_client.get("/api/v1/inbox/2", headers=auth_headers("member", sub=1)))


def test_the_notification_s_own_endpoints_show_no_token(notify, notify_client, auth_headers, pump):
    nid = _invite(notify, pump)
    for reader in (auth_headers("admin"), auth_headers("system")):
        for path in (f"/api/v1/notifications/{nid}", f"/api/v1/notifications/{nid}/failures"):
            r = notify_client.get(path, headers=reader)
            assert r.status_code == 200 and not _leaks(r), path


def test_a_notification_not_marked_private_is_shown_as_it_was(notify, notify_client, auth_headers, pump):
    _invite(notify, pump, private=False)
    [m] = notify_client.get("/api/v1/inbox/2", headers=auth_headers("admin")).get_json()["items"]
    assert m["link"] == LINK.format(TOKENS[2]) and not m["private"]


def test_the_api_accepts_private_and_stores_it(notify, notify_client, auth_headers, pump):
    load_directory(notify, [person(1)])
    r = notify_client.post("/api/v1/notifications", headers=auth_headers("admin"), json={
        "category": "general", "subject": "s", "private": True,
        "items": [{"person_id": 1, "link": LINK.format(TOKENS[1])}]})
    assert r.status_code == 202
    pump.run()
    [m] = notify_client.get("/api/v1/inbox/1", headers=auth_headers("admin")).get_json()["items"]
    assert m["link"] is None and m["private"]


def test_dead_letters_list_a_private_send_redacted(notify, notify_client, auth_headers):
    msg = SendNotification(key="k", category="survey_invite", subject="s", private=True,
                           items=[PersonalItem(1, link=LINK.format(TOKENS[1]))])
    notify.runtime.dead_letters.record("t1", "notify.send", [], {"message": msg.to_payload()}, "boom")
    r = notify_client.get("/api/v1/dead-letters", headers=auth_headers("system"))
    assert r.status_code == 200 and len(r.get_json()["items"]) == 1 and not _leaks(r)


def test_no_token_reaches_the_logs(notify, notify_client, auth_headers, pump, caplog):
    caplog.set_level("DEBUG")
    nid = _invite(notify, pump)
    notify_client.get("/api/v1/inbox/1", headers=auth_headers("member", sub=1))
    notify_client.get(f"/api/v1/notifications/{nid}", headers=auth_headers("admin"))
    assert caplog.records and not [t for t in TOKENS.values() if t in caplog.text]
