"""The board and the ledger spreadsheet show the org's zones (days without incident), posts on duty and the
year's volunteer hours, for the org's subtree."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl

from shared.db import utcnow
from shared.settings import Settings


def _today():
    return utcnow().astimezone(Settings().zone).date()


def _daily_work(api, tree) -> None:
    since = (_today() - timedelta(days=12)).isoformat()
    api.post("/api/v1/zones", {"org_id": tree.b1, "name": "转炉平台5S责任区", "kind": "five_s", "since": since,
                               "holder_ids": [tree.m1]}, status=201)
    api.post("/api/v1/zones", {"org_id": tree.b3, "name": "焦炉责任区", "kind": "five_s",
                               "holder_ids": [tree.m3]}, status=201)
    api.post("/api/v1/posts", {"org_id": tree.b1, "title": "炉前安全监护", "kind": "safety_volunteer",
                               "holder_id": tree.s1, "since": since}, status=201)
    api.post("/api/v1/posts", {"org_id": tree.b1, "title": "已卸任", "kind": "badge", "holder_id": tree.m1,
                               "since": since, "until": since}, status=201)
    api.post("/api/v1/volunteering", {"org_id": tree.c1, "title": "进社区义诊", "kind": "community",
                                      "on": _today().isoformat(), "hours": 2.5, "person_ids": [tree.m1, tree.m2]},
             status=201)


def test_the_board_shows_zones_posts_on_duty_and_volunteer_hours(api, tree, pledge_client):
    _daily_work(api, tree)
    html = pledge_client.get(f"/board/{tree.c1}").get_data(as_text=True)
    assert "转炉平台5S责任区" in html and "<b>12</b> 天无事故" in html and "张三" in html
    assert "焦炉责任区" not in html  # another subtree
    assert "炉前安全监护" in html and "李书记" in html and "已卸任" not in html
    assert "<b>5</b>志愿服务时长" in html and "<b>2</b>参与人数" in html


def test_the_ledger_spreadsheet_has_sheets_for_zones_posts_and_volunteering(api, tree):
    _daily_work(api, tree)
    book = openpyxl.load_workbook(io.BytesIO(api.get(f"/api/v1/orgs/{tree.c1}/ledger?format=xlsx",
                                                     status=200).data))
    assert book.sheetnames == ["承诺台账", "党员责任区", "先锋岗", "志愿服务"]
    zones = list(book["党员责任区"].iter_rows(values_only=True))
    assert zones[0][0] == "转炉厂党委党员责任区"
    assert zones[2][1:6] == ("转炉平台5S责任区", "炼钢一支部", "5S", "张三", 12)
    posts = list(book["先锋岗"].iter_rows(values_only=True))
    assert [r[1] for r in posts[2:]] == ["炉前安全监护"] and posts[2][2] == "安全监护志愿者"
    volunteering = list(book["志愿服务"].iter_rows(values_only=True))
    assert volunteering[2][1] == "进社区义诊" and volunteering[2][-1] == 5.0
    assert volunteering[-1][1].endswith("年合计") and volunteering[-1][-2:] == (2, 5.0)
