"""The ledger (承诺台账): JSON of an org and its subtree, and the printable XLSX read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl

from pledge.support import published_pledge


def _ledger(api, org_id, query="", **kw):
    return api.get(f"/api/v1/orgs/{org_id}/ledger{query}", **kw)


def test_ledger_lists_published_pledges_of_the_subtree_with_progress(api, tree):
    late = (date.today() - timedelta(days=2)).isoformat()
    a = published_pledge(api, "org", tree.b1, title="支部承诺", due_on=late, historical=True)
    b = published_pledge(api, "person", tree.m2, title="党员承诺")
    c = published_pledge(api, "org", tree.b3, title="焦化承诺")
    api.post("/api/v1/pledges", {"pledger_type": "org", "pledger_id": tree.b1, "category": "key_tasks", "title": "草稿",
                                 "targets": [{"name": "x", "target": 1}], "due_on": late, "historical": True},
             status=201)
    api.post(f"/api/v1/pledges/{b}/progress", {"note": "过半", "values": {"降本": 400, "合格率": 99.9}},
             as_=("member", tree.m2), status=201)

    body = _ledger(api, tree.c1, as_=("member", tree.m3), status=200).get_json()
    assert body["org_name"] == "转炉厂党委" and body["total"] == 2
    rows = {r["pledge_id"]: r for r in body["items"]}
    assert set(rows) == {a, b} and body["items"][0]["pledge_id"] == a  # earliest due first
    assert rows[a]["overdue"] is True and rows[b]["overdue"] is False
    assert rows[b]["latest_note"] == "过半" and rows[b]["completion"] == 0.75
    assert rows[b]["pledger_name"] == "王五" and rows[b]["org_name"] == "炼钢二支部"
    assert {t["name"]: t["completion"] for t in rows[b]["targets"]} == {"降本": 0.5, "合格率": 1.0}
    assert _ledger(api, tree.g, status=200).get_json()["total"] == 3
    assert _ledger(api, tree.g, "?overdue=1", status=200).get_json()["total"] == 1
    assert [r["pledge_id"] for r in _ledger(api, tree.g, "?page=2&page_size=2", status=200).get_json()["items"]] == [c]
    _ledger(api, 9999, status=404)
    _ledger(api, tree.g, "?format=pdf", status=422)


def test_xlsx_is_laid_out_for_printing(api, tree):
    pid = published_pledge(api, "person", tree.m1, title="岗位降本")
    api.post(f"/api/v1/pledges/{pid}/progress", {"note": "一季度完成 425 万", "values": {"降本": 425}}, status=201)
    published_pledge(api, "org", tree.b2, title="支部承诺")
    response = _ledger(api, tree.c1, "?format=xlsx", status=200)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "转炉厂党委承诺台账"
    assert rows[1][0] == "组织：转炉厂党委" and rows[1][3].startswith("期间：截至")
    assert rows[3][:6] == ("序号", "承诺主体", "所属组织", "承诺类别", "承诺事项", "目标及进度")
    data = [r for r in rows[4:] if r[0] is not None]
    assert [r[4] for r in data] == ["岗位降本", "支部承诺"]
    first = data[0]
    assert first[1] == "张三" and first[2] == "炼钢一支部" and first[3] == "一流业绩"
    assert "降本：425/800万元" in first[5] and first[6] == "一季度完成 425 万" and first[7] == "27%"
    assert first[9] == "否" and first[10] == "践诺中"
    assert ws.column_dimensions["E"].width == 36 and ws.print_title_rows == "$4:$4"


def test_board_is_public_or_not_by_setting(api, tree, pledge, settings, pledge_client):
    from dataclasses import replace

    published_pledge(api, "person", tree.m1, title="<script>alert(1)</script>岗位降本")
    page = pledge_client.get(f"/board/{tree.c1}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "转炉厂党委 · 承诺台账" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    closed = pledge.create_app(replace(settings, board_public=False)).test_client()
    assert closed.get(f"/board/{tree.c1}").status_code == 401
    headers = api.headers(("member", tree.m3))
    assert closed.get(f"/board/{tree.c1}", headers=headers).status_code == 200
    assert pledge_client.get("/board/9999").status_code == 404
