"""Notify test helpers: a directory, an in-process task pump, an SMTP mailbox, a webhook receiver."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
from collections.abc import Callable
from datetime import date, datetime

from werkzeug.wrappers import Request, Response

from services.notify.models import directory
from services.notify.notifications import accepting, status, sweeper
from shared.directory import apply
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord, SendNotification
from shared.webhooks import SeenIds, Verifier, WebhookRejected

from .factories import BRANCH_A, PersonFactory

ROOT, UNIT, BRANCH_B = 1, 2, 4


def org_records() -> list[OrgRecord]:
    return [OrgRecord(ROOT, "HG", "集团党委", "committee", None, "/1/"),
            OrgRecord(UNIT, "ZL", "转炉厂党委", "committee", ROOT, "/1/2/"),
            OrgRecord(BRANCH_A, "ZL1", "炼钢一支部", "branch", UNIT, "/1/2/3/"),
            OrgRecord(BRANCH_B, "ZL2", "炼钢二支部", "branch", UNIT, "/1/2/4/")]


def person(pid: int, org_id: int = BRANCH_A, party: bool = True, joined: date | None = None,
           roles: tuple[str, ...] = (), email: str | None = "") -> PersonRecord:
    """Person ``pid`` (``email=None``: without an address; left out: ``p<pid>@hzsteel.example``)."""
    extra = {} if email == "" else {"email": email}
    return PersonFactory.build(id=pid, org_id=org_id, party_member=party, roles=list(roles),
                               joined_party_on=joined.isoformat() if joined else None, **extra)


def load_directory(service, people: list[PersonRecord]) -> None:
    with service.db.session() as session:
        apply(session, directory, DirectoryChanged(orgs=org_records(), people=people))


def accept(service, msg: SendNotification) -> int:
    """``msg`` accepted as the ``notify.send`` task would (committed: its resolve message is relayed)."""
    with service.unit_of_work() as ctx:
        return accepting.accept(ctx, msg)[0].id


def sweep(service, at: datetime | None = None) -> dict[str, int]:
    """One sweep as the beat runs it, with the clock at ``at`` (default: now)."""
    with service.unit_of_work(clock=(lambda: at) if at else None) as ctx:
        return sweeper.sweep(ctx)


def notification_status(service, notification_id: int) -> dict:
    with service.unit_of_work(read_only=True) as ctx:
        return status.counts(ctx.session, status.get(ctx.session, notification_id))


@dataclasses.dataclass
class Pump:
    """An in-process broker for notify's own tasks: runs what the outbox relay sent, in order."""

    service: object
    sent: object
    cursor: int = 0
    runs: int = 0

    def run(self, twice: bool = False, only: Callable[[str], bool] = lambda task: True) -> int:
        ran = 0
        while self.cursor < len(self.sent.sent):
            message = self.sent.sent[self.cursor]
            self.cursor += 1
            if not message.task.startswith("notify.") or not only(message.task):
                continue
            task = self.service.celery.tasks[message.task]
            for _ in range(2 if twice else 1):
                task(message=message.payload)
                ran += 1
        self.runs += ran
        return ran


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


class Receiver:
    """A group system's webhook endpoint: verifies every delivery, records what it accepted."""

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.seen = SeenIds()
        self.accepted: list[dict] = []
        self.rejected: list[str] = []
        self.fail_next = 0  # answer 500 to this many deliveries first
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return Response("busy", status=500)(environ, start_response)
            try:
                payload = Verifier(self.secret, self.seen).verify(body, dict(request.headers))
            except WebhookRejected as exc:
                self.rejected.append(exc.reason)
                return Response(exc.reason, status=400)(environ, start_response)
            self.accepted.append(payload)
        return Response(json.dumps({"ok": True}), status=204)(environ, start_response)
