"""Publishing channels take effect: ``board`` on /board, ``meeting`` on the 承诺大会 list (JSON and xlsx),
``intranet`` in the ledger API; the board pages its cards and filters them by state."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl

from pledge.support import published_pledge


def _ids(api, path, **kw):
    return {r["pledge_id"] for r in api.get(path, status=200, **kw).get_json()["items"]}


def test_each_channel_is_its_own_list(api, tree, pledge_client):
    meeting = published_pledge(api, "org", tree.b1, title="只上承诺大会", channels=["meeting"])
    board = published_pledge(api, "org", tree.b2, title="只上公示栏", channels=["board"])
    intranet = published_pledge(api, "person", tree.m1, title="只上内网", channels=["intranet"])
    everywhere = api.post("/api/v1/pledges", {"pledger_type": "org", "pledger_id": tree.c1, "category": "key_tasks",
                                              "title": "默认全部渠道", "targets": [{"name": "x", "target": 1}],
                                              "due_on": "2026-12-31"}, status=201).get_json()["id"]
    for action, body in (("submit", {}), ("review", {"decision": "approve"}), ("publish", {})):
        api.post(f"/api/v1/pledges/{everywhere}/{action}", body, status=200)

    assert _ids(api, f"/api/v1/orgs/{tree.g}/ledger") == {intranet, everywhere}
    assert _ids(api, f"/api/v1/orgs/{tree.g}/meeting-list", as_=("member", tree.m3)) == {meeting, everywhere}
    html = pledge_client.get(f"/board/{tree.g}").get_data(as_text=True)
    assert f'data-pledge="{board}"' in html and f'data-pledge="{everywhere}"' in html
    assert f'data-pledge="{meeting}"' not in html and f'data-pledge="{intranet}"' not in html
    shown = api.get(f"/api/v1/pledges/{everywhere}", status=200).get_json()
    assert shown["channels"] == ["board", "meeting", "intranet"]

    sheet = api.get(f"/api/v1/orgs/{tree.c1}/meeting-list?format=xlsx", status=200)
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "转炉厂党委承诺大会承诺清单"
    assert sorted(r[4] for r in rows[4:] if r[0] is not None) == sorted(["只上承诺大会", "默认全部渠道"])
    api.get("/api/v1/orgs/9999/meeting-list", status=404)
    assert api.get(f"/api/v1/orgs/{tree.g}/meeting-list?format=pdf", lang="en", status=422).get_json()[
        "errors"].keys() == {"format"}
    assert pledge_client.get(f"/api/v1/orgs/{tree.g}/meeting-list").status_code == 401


def test_withdrawn_leaves_every_list(api, tree, pledge_client):
    pid = published_pledge(api, "org", tree.b1)
    api.post(f"/api/v1/pledges/{pid}/withdraw", {"reason": "撤回"}, status=200)
    assert _ids(api, f"/api/v1/orgs/{tree.g}/ledger") == set()
    assert _ids(api, f"/api/v1/orgs/{tree.g}/meeting-list") == set()
    assert f'data-pledge="{pid}"' not in pledge_client.get(f"/board/{tree.g}").get_data(as_text=True)


def test_the_board_pages_its_cards_and_filters_by_state(api, tree, pledge_client):
    late = (date.today() - timedelta(days=3)).isoformat()
    ids = [published_pledge(api, "org", tree.b1, title=f"承诺{i}", channels=["board"]) for i in range(25)]
    overdue = published_pledge(api, "person", tree.m1, title="逾期承诺", due_on=late, channels=["board"])
    first = pledge_client.get(f"/board/{tree.g}").get_data(as_text=True)
    assert first.count("data-pledge=") == 24 and "第 1 / 2 页，共 26 条" in first and 'rel="next"' in first
    assert ">26</b>公开承诺" in first and ">1</b>逾期" in first  # the figures count every card, not the page
    second = pledge_client.get(f"/board/{tree.g}?page=2").get_data(as_text=True)
    assert second.count("data-pledge=") == 2 and 'rel="prev"' in second
    shown = {int(x.split('"')[0]) for x in (first + second).split('data-pledge="')[1:]}
    assert shown == {*ids, overdue}

    late_only = pledge_client.get(f"/board/{tree.g}?state=overdue").get_data(as_text=True)
    assert late_only.count("data-pledge=") == 1 and f'data-pledge="{overdue}"' in late_only
    assert 'data-state="overdue" aria-current="true"' in late_only
    api.post(f"/api/v1/pledges/{ids[0]}/close", {"outcome": "fulfilled"}, status=200)
    assert pledge_client.get(f"/board/{tree.g}?state=closed").get_data(as_text=True).count("data-pledge=") == 1
    assert "没有“样板”的承诺" in pledge_client.get(f"/board/{tree.g}?state=exemplar").get_data(as_text=True)
    bad = pledge_client.get(f"/board/{tree.g}?state=nonsense", headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.get_json()["errors"].keys() == {"state"}
    assert pledge_client.get(f"/board/{tree.g}?page=x").status_code == 200
    assert pledge_client.get(f"/board/{tree.g}?page=99").status_code == 200
    assert api.get(f"/api/v1/orgs/{tree.g}/ledger?state=overdue", status=200).get_json()["total"] == 0
