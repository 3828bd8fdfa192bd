"""Links people can open: each pledge notification's link is absolute and opens, in a browser with no header,
the pledge page for its own recipient — a reviewer gets the review form (a plain form POST), the others the
pledge and its board entry; a tampered, foreign or expired link gets a page saying so, never a 500."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from pledge.support import pledge_body, published_pledge
from services.pledge.pledges import linking
from shared import links
from shared.messages import SendNotification

BASE = "http://127.0.0.1:5001"


def notes(sent, category: str) -> list[SendNotification]:
    return [n for n in map(SendNotification.from_payload, sent.of("notify.send")) if n.category == category]


def opened(client, url: str):
    """What a browser gets for ``url`` (absolute, on the pledge service)."""
    assert url.startswith(BASE + "/"), url
    parts = urlsplit(url)
    r = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return r, r.get_data(as_text=True)


def grant_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)[links.GRANT][0]


def submitted(api, tree, sent) -> tuple[int, str]:
    pid = api.post("/api/v1/pledges", pledge_body("person", tree.m1, title="吨钢能耗再降 2%"), as_=("member", tree.m1),
                   status=201).get_json()["id"]
    sent.clear()
    api.post(f"/api/v1/pledges/{pid}/submit", as_=("member", tree.m1), status=200)
    [note] = notes(sent, "pledge_review")
    assert note.private and note.link is None and [i.person_id for i in note.items] == [tree.s1]
    return pid, note.items[0].link


def test_a_review_request_opens_the_pledge_with_the_review_form(api, tree, sent, pledge_client):
    pid, url = submitted(api, tree, sent)
    r, html = opened(pledge_client, url)
    assert r.status_code == 200 and r.mimetype == "text/html" and "no-store" in r.headers["Cache-Control"]
    assert "吨钢能耗再降 2%" in html and 'id="review"' in html and "待审核" in html
    assert f'name="grant" value="{grant_of(url)}"' in html

    form = {"grant": grant_of(url), "decision": "return", "comment": "目标再量化"}
    r = pledge_client.post(f"/pledges/{pid}", data=form)  # the form's plain POST, no JavaScript
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "已提交：退回修改" in html and 'id="review"' not in html and "已退回修改" in html
    shown = api.get(f"/api/v1/pledges/{pid}", status=200).get_json()
    assert shown["state"] == "returned"
    again = pledge_client.post(f"/pledges/{pid}", data={**form, "decision": "approve"})
    assert again.status_code == 409 and "不在待审核状态" in again.get_data(as_text=True)
    missing = pledge_client.post(f"/pledges/{pid}", data={"grant": grant_of(url)})
    assert missing.status_code == 422 and "请选择审核意见" in missing.get_data(as_text=True)


def test_the_link_opens_nothing_else(api, tree, sent, pledge_client, settings):
    pid, url = submitted(api, tree, sent)
    grant = grant_of(url)
    refused = {
        "altered": pledge_client.get(f"/pledges/{pid}?grant={grant[:-2]}xx"),
        "missing": pledge_client.get(f"/pledges/{pid}"),
        "other pledge": pledge_client.get(f"/pledges/{pid + 1}?grant={grant}"),
        "expired": pledge_client.get(f"/pledges/{pid}?grant="
                                     + links.sign(settings, "pledge", {"pledge": pid, "sub": tree.s1}, ttl=-1)),
        "other purpose": pledge_client.get(f"/pledges/{pid}?grant="
                                           + links.sign(settings, "results", {"pledge": pid, "sub": tree.s1})),
        "post altered": pledge_client.post(f"/pledges/{pid}", data={"grant": "x", "decision": "approve"}),
    }
    assert {k: r.status_code for k, r in refused.items()} == {
        "altered": 401, "missing": 401, "other pledge": 403, "expired": 401, "other purpose": 401, "post altered": 401}
    assert "链接已过期" in refused["expired"].get_data(as_text=True)
    assert api.get(f"/api/v1/pledges/{pid}", status=200).get_json()["state"] == "submitted"
    # a grant for a person who may see the pledge but not review it: the pledge, no form, no review by POST
    own = linking.pledge_link(settings, pid, tree.m1)
    r, html = opened(pledge_client, own)
    assert r.status_code == 200 and "吨钢能耗再降 2%" in html and 'id="review"' not in html
    forbidden = pledge_client.post(f"/pledges/{pid}", data={"grant": grant_of(own), "decision": "approve"})
    assert forbidden.status_code == 403
    outsider = linking.pledge_link(settings, pid, tree.m2)  # a draft in review is not theirs to see
    assert opened(pledge_client, outsider)[0].status_code == 403


def test_due_and_lookback_reminders_link_to_pages_their_recipients_can_open(api, tree, pledge, sent, pledge_client):
    day = date(2026, 4, 1)
    pid = published_pledge(api, "person", tree.m1, due_on=(day + timedelta(days=7)).isoformat(), title="七天后到期")
    sent.clear()
    pledge.daily(day)
    [due] = notes(sent, "pledge_due")
    assert due.private and [i.person_id for i in due.items] == [tree.m1]
    r, html = opened(pledge_client, due.items[0].link)
    assert r.status_code == 200 and "七天后到期" in html and "践诺中" in html
    board = f"{BASE}/board/{tree.b1}#pledge-{pid}"
    assert f'href="{board}"' in html
    page = pledge_client.get(f"/board/{tree.b1}").get_data(as_text=True)
    assert f'id="pledge-{pid}"' in page  # the entry the link points at
    for note in notes(sent, "lookback"):
        assert note.link == f"{BASE}/board/{note.recipients.org_id}"
        assert opened(pledge_client, note.link)[0].status_code == 200


def test_every_pledge_notification_link_is_absolute(api, tree, pledge, sent):
    day = date(2026, 4, 1)  # a quarter's first day: look-back reminders too
    pid, _ = submitted(api, tree, sent)
    api.post(f"/api/v1/pledges/{pid}/review", {"decision": "approve"}, as_=("member", tree.s1), status=200)
    api.post(f"/api/v1/pledges/{pid}/publish", as_=("member", tree.m1), status=200)
    api.post(f"/api/v1/pledges/{pid}/revise", {"reason": "回头看"}, as_=("member", tree.m1), status=200)
    published_pledge(api, "org", tree.b2, due_on=(day - timedelta(days=7)).isoformat())
    pledge.daily(day)
    sent_notes = [SendNotification.from_payload(p) for p in sent.of("notify.send")]
    assert {n.category for n in sent_notes} == {"pledge_review", "pledge_due", "lookback", "coverage"}
    urls = [u for n in sent_notes for u in [n.link, *(i.link for i in n.items)] if u is not None]
    assert len(urls) >= 4 and all(u.startswith(BASE + "/") for u in urls), urls
