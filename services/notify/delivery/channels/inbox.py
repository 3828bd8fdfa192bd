"""The inbox (站内信) as a channel: a letter is delivered by storing it, in the ledger row's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.notify.db import insert_ignore
from services.notify.delivery.channels.interface import Letter
from services.notify.delivery.domain.outcomes import SENT, Outcome
from services.notify.inbox.models import InboxMessage


@dataclass
class InboxWriter:
    session: Session
    name: str = "inbox"
    in_transaction: bool = True

    def unreachable(self, letter: Letter) -> str | None:
        return None  # everyone has an inbox

    def send(self, letters: Sequence[Letter]) -> list[Outcome]:
        """Store one message per letter (once: a second run of the chunk inserts nothing)."""
        insert_ignore(self.session, InboxMessage.__table__, [
            {"notification_id": x.notification_id, "person_id": x.person_id, "category": x.category,
             "subject": x.subject, "body": x.body, "link": x.link, "private": x.private, "created_at": x.at,
             "read_at": None}
            for x in letters])
        return [SENT for _ in letters]
