"""What one chunk of a notification needs to know about its people, loaded once, and the ledger rows
it starts them with (delivered, queued for sending, or skipped with the reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.db import among
from services.notify.delivery import ledger
from services.notify.delivery.channels import Channel, Letter
from services.notify.delivery.channels.interface import Target
from services.notify.delivery.endpoints import matching
from services.notify.delivery.models import WebhookEndpoint
from services.notify.directory.lookups import Contact, contacts
from services.notify.notifications.models import Notification, NotificationItem
from services.notify.preferences.categories import mandatory
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES, Preferences, skip_reason
from services.notify.preferences.people import for_people


@dataclass
class Chunk:
    notification: Notification
    person_ids: list[int]
    prefs: dict[int, Preferences]
    mandatory: set[str]
    items: dict[int, NotificationItem]
    contacts: dict[int, Contact]
    endpoints: list[WebhookEndpoint]
    _letters: dict[tuple[int, datetime], Letter] = field(default_factory=dict, repr=False)
    _common: tuple | None = field(default=None, repr=False)

    def letter(self, person_id: int, at: datetime) -> Letter:
        """The notification as this person receives it: their personal item over the common text (built
        once per person and instant: the ledger rows and then each channel ask for the same letter)."""
        key = (person_id, at)
        letter = self._letters.get(key)
        if letter is None:
            letter = self._letters[key] = self._letter(person_id, at)
        return letter

    def _letter(self, person_id: int, at: datetime) -> Letter:
        if self._common is None:  # the notification's attributes, read once (ORM attribute access adds up)
            n = self.notification
            self._common = (n.id, n.category, n.subject, n.body, n.link, n.private)
        notification_id, category, subject, body, link, private = self._common
        item = self.items.get(person_id)
        if item is not None:
            subject, link = item.subject or subject, item.link or link
            body = item.body if item.body is not None else body
        contact = self.contacts.get(person_id)
        reaching = matching(self.endpoints, contact.lineage if contact else (), category) if self.endpoints else []
        return Letter(notification_id, category, person_id, subject, body, link, at, contact,
                      tuple(Target(e.url, e.secret) for e in reaching), private=private)


def load_chunk(session: Session, notification: Notification, person_ids: list[int]) -> Chunk:
    items = session.execute(select(NotificationItem).where(
        NotificationItem.notification_id == notification.id, among(NotificationItem.person_id, person_ids))).scalars()
    wants, mine = set(notification.channels), set(person_ids)
    return Chunk(
        notification, person_ids, for_people(session, person_ids), mandatory(session),
        {i.person_id: i for i in items if i.person_id in mine},
        contacts(session, person_ids) if wants & {"email", "webhook"} else {},
        list(session.execute(select(WebhookEndpoint)).scalars()) if "webhook" in wants else [],
    )


def first_action(chunk: Chunk, letter: Letter, channel: Channel) -> tuple[str, str | None]:
    """How a new ledger row starts (``deliver``, ``enqueue`` or ``skip``), and the reason when skipped:
    the person's preferences first (unless the category is mandatory), then whether the channel reaches them."""
    prefs = chunk.prefs.get(letter.person_id, DEFAULT_PREFERENCES)
    reason = skip_reason(chunk.notification.category, channel.name, prefs, chunk.mandatory) \
        or channel.unreachable(letter)
    if reason is not None:
        return "skip", reason
    return ("deliver" if channel.in_transaction else "enqueue"), None


def ledger_rows(chunk: Chunk, channels: dict[str, Channel], now: datetime) -> list[dict]:
    rows, notification_id, names = [], chunk.notification.id, list(chunk.notification.channels)
    for person_id in chunk.person_ids:
        letter = chunk.letter(person_id, now)
        for name in names:
            action, reason = first_action(chunk, letter, channels[name])
            rows.append(ledger.row(notification_id, person_id, name, action, reason, now))
    return rows
