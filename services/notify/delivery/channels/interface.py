"""What every channel is: one interface the fan-out talks to, whatever carries the message.

A :class:`Letter` is one notification as one person receives it; a :class:`Channel` says whether it
can reach that person and delivers a batch of letters, one :class:`Outcome` per letter.  The inbox
delivers inside the ledger's transaction (``in_transaction``); email and webhooks after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.notify.delivery.domain.outcomes import Outcome
from services.notify.directory.lookups import Contact


@dataclass(frozen=True)
class Target:
    """A webhook endpoint: where to POST, the secret to sign with, and its format."""

    url: str
    secret: str
    format: str = "standard"  # how the request is shaped (channels.formats): standard | wecom | dingtalk


@dataclass(frozen=True)
class Letter:
    """One notification to one person (their personal item applied), as a channel delivers it."""

    notification_id: int
    category: str
    person_id: int
    subject: str
    body: str
    link: str | None
    at: datetime  # when it was written or claimed (the inbox's created_at, the webhook's timestamp)
    person: Contact | None = None  # the directory's entry (address, name, org), when the channel needs it
    targets: tuple[Target, ...] = ()  # the webhook endpoints reaching this person
    delivery_id: int | None = None  # the claimed ledger row (channels sending after the commit)
    attempts: int = 0
    private: bool = False  # the notification's: the inbox keeps it so other readers see it redacted


class Channel(Protocol):
    name: str
    in_transaction: bool  # True: delivered in the ledger's transaction (no send to claim, no retry)

    def unreachable(self, letter: Letter) -> str | None:
        """Why this channel cannot reach the person (recorded as the skip reason), or None."""
        ...

    def send(self, letters: Sequence[Letter]) -> list[Outcome]:
        """Deliver each letter; one outcome per letter, in order."""
        ...
