"""Concurrent requests under one Idempotency-Key (issue 8, #15): one effect, the others replay it or get 409.

A real threaded server (the ``serve`` fixture) in a thread, 10 client threads released together.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
from sqlalchemy import func, select

from .test_security_world import load_directory, started

THREADS = 10


def together(base: str, path: str, body: dict, headers: dict) -> list[httpx.Response]:
    barrier, answers, lock = threading.Barrier(THREADS), [], threading.Lock()

    def call() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            barrier.wait()
            response = client.post(path, json=body, headers=headers)
        with lock:
            answers.append(response)

    pool = [threading.Thread(target=call) for _ in range(THREADS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return answers


def _one_effect(answers: list[httpx.Response], created: int) -> dict:
    statuses = Counter(r.status_code for r in answers)
    print(f"\n{THREADS} concurrent posts under one key: {dict(statuses)}")
    assert set(statuses) <= {created, 409} and statuses[created] >= 1, statuses
    firsts = {r.content for r in answers if r.status_code == created}
    assert len(firsts) == 1, "every replay is the first response"
    for r in answers:
        if r.status_code == 409:
            assert set(r.json()) == {"code", "error", "message", "errors"}
    return answers[[r.status_code for r in answers].index(created)].json()


def test_ten_concurrent_org_creations_under_one_key_create_one_org(services, settings, sent, auth_headers, serve):
    from services.pledge.models import Org

    pledge, _ = started(services, "pledge", settings, sent)
    base = serve(pledge.create_app(pledge.runtime.settings))
    headers = {**auth_headers("admin"), "Idempotency-Key": "org-once-1"}
    body = {"code": "HG", "name": "集团党委", "kind": "committee", "parent_id": None}
    first = _one_effect(together(base, "/api/v1/orgs", body, headers), 201)
    with pledge.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Org)) == 1
        assert s.scalar(select(Org.id)) == first["id"]


def test_ten_concurrent_notifications_under_one_key_send_once(services, settings, sent, auth_headers, serve):
    from services.notify.models import Notification

    notify, _ = started(services, "notify", settings, sent)
    load_directory(notify)
    base = serve(notify.create_app(notify.runtime.settings))
    headers = {**auth_headers("admin"), "Idempotency-Key": "notice-once-1"}
    body = {"category": "general", "subject": "开会", "recipients": {"person_ids": [101, 102]}}
    _one_effect(together(base, "/api/v1/notifications", body, headers), 202)
    with notify.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 1
