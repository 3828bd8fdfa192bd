"""A dump of every table of pledge's database holds nothing that joins an anonymous suggestion to its author:
no author column filled, no time finer than the day, a random id, and no other row that names both."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from sqlalchemy import DateTime, select

from services.pledge.models import Suggestion

URL = "/api/v1/suggestions"


def _dump(pledge) -> dict[str, list[dict]]:
    with pledge.db.session() as s:
        return {t.name: [dict(r._mapping) for r in s.execute(select(t))] for t in pledge.metadata.sorted_tables}


def _cells(row: dict) -> set[str]:
    out = set()
    for value in row.values():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        out.add(str(value))
    return out


def test_after_the_nightly_run_rows_lie_in_id_order_not_arrival_order(pledge, api, tree):
    made = [api.post(URL, {"org_id": tree.b1, "content": f"意见{i}", "anonymous": True}, as_=("member", tree.m1),
                     status=201).get_json()["id"] for i in range(12)]
    pledge.daily(date.today())
    with pledge.db.session() as s:
        stored = [r.id for r in s.execute(select(Suggestion.__table__))]  # storage order: no ORDER BY
    assert sorted(stored) == stored and set(stored) == set(made)


def test_a_dump_cannot_join_an_anonymous_suggestion_to_its_author(pledge, api, tree):
    author = ("member", tree.m2)
    signed = api.post(URL, {"org_id": tree.b1, "content": "食堂窗口太少"}, as_=("member", tree.m1),
                      status=201).get_json()
    body = {"org_id": tree.c1, "content": "夜班交接缺少安全确认", "anonymous": True}
    response = api.client.post(URL, json=body, headers={**api.headers(author), "Idempotency-Key": "k-anon-1"})
    assert response.status_code == 201
    anonymous = response.get_json()
    replay = api.client.post(URL, json=body, headers={**api.headers(author), "Idempotency-Key": "k-anon-1"})
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.get_json()["id"] == anonymous["id"]
    api.post(f"{URL}/{anonymous['id']}/answer", {"decision": "answer", "reply": "已增加交接确认单"},
             as_=("member", tree.sc1), status=200)

    dump = _dump(pledge)
    rows = {r["id"]: r for r in dump["suggestions"]}
    assert rows[signed["id"]]["author_id"] == tree.m1  # a signed one names its author …
    row = rows[anonymous["id"]]
    assert row["author_id"] is None and row["anonymous"] is True  # … an anonymous one names nobody
    assert re.fullmatch(r"[0-9a-f]{32}", row["id"]) and row["id"][12] == "4"  # uuid4: random, no sequence
    assert isinstance(row["submitted_on"], date) and not isinstance(row["submitted_on"], datetime)
    # the only instant on the row is the secretary's answer, not the submission
    instants = [c.name for c in Suggestion.__table__.columns if isinstance(getattr(c.type, "impl", c.type), DateTime)]
    assert instants == ["answered_at"]

    author_marks = {str(tree.m2), "E3", "王五"}  # the author's id, employee number, name
    for table, table_rows in dump.items():
        for r in table_rows:
            cells = _cells(r)
            if not any(anonymous["id"] in c for c in cells):
                continue
            # a row that names the anonymous suggestion names no person, and keeps no instant of the request
            assert table in ("suggestions", "idempotency_keys"), table
            assert not {c for c in cells if c in author_marks}, table
            assert "author_id" not in r or r["author_id"] is None
            if table == "idempotency_keys":
                assert r["created_at"].time() == time(0) and '"author_id":null' in r["body"].decode()
    # and no row elsewhere ties the author to a suggestion
    for table, table_rows in dump.items():
        if table in ("people", "orgs"):
            continue
        for r in table_rows:
            assert not ({c for c in _cells(r) if c in {"E3", "王五"}}), table
