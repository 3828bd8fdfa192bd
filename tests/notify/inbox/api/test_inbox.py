"""The inbox API: newest first, the unread filter and count, mark read, who may read whose inbox."""

from sqlalchemy import select

from services.notify.models import InboxMessage

from ...support import BRANCH_A


def _post(client, headers, **body):
    body = {"category": "general", "subject": "通知", "recipients": {"person_ids": [1]}, **body}
    return client.post("/api/v1/notifications", json=body, headers=headers)


def test_inbox_newest_first_unread_filter_mark_read_and_mark_all(notify, notify_client, auth_headers, people, pump):
    for subject in ("第一条", "第二条", "第三条"):
        _post(notify_client, auth_headers("admin"), subject=subject, recipients={"person_ids": [1, 2]})
    pump.run()
    me = auth_headers("member", sub=1)
    page = notify_client.get("/api/v1/inbox/1", headers=me).json
    assert [m["subject"] for m in page["items"]] == ["第三条", "第二条", "第一条"]
    assert page["unread"] == 3 and page["total"] == 3
    assert "第三条" in notify_client.get("/api/v1/inbox/1", headers=me).get_data(as_text=True)  # not \\u-escaped
    first = page["items"][0]["id"]
    assert notify_client.post(f"/api/v1/inbox/1/{first}/read", headers=me).status_code == 204
    assert notify_client.post(f"/api/v1/inbox/1/{first}/read", headers=me).status_code == 204  # again: same
    unread = notify_client.get("/api/v1/inbox/1?unread=1", headers=me).json
    assert [m["subject"] for m in unread["items"]] == ["第二条", "第一条"] and unread["unread"] == 2
    assert notify_client.get("/api/v1/inbox/1/unread-count", headers=me).json == {"unread": 2}
    assert notify_client.post("/api/v1/inbox/1/read-all", headers=me).json == {"marked": 2}
    assert notify_client.get("/api/v1/inbox/1/unread-count", headers=me).json == {"unread": 0}
    assert notify_client.get("/api/v1/inbox/2/unread-count", headers=me).status_code == 403
    with notify.db.session() as s:
        other = s.execute(select(InboxMessage.id).where(InboxMessage.person_id == 2)).scalars().first()
    assert notify_client.post(f"/api/v1/inbox/1/{other}/read", headers=me).status_code == 404
    assert notify_client.get("/api/v1/inbox/2", headers=auth_headers("org_admin", org=BRANCH_A)).status_code == 200
    assert notify_client.get("/api/v1/inbox/3", headers=auth_headers("org_admin", org=BRANCH_A)).status_code == 403
    assert notify_client.get("/api/v1/inbox/1?page_size=0", headers=me).status_code == 422
