"""What one chunk of a notification needs to know about its people, loaded once, and the ledger rows
it starts them with (delivered, queued for sending, or skipped with the reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.db import among
from services.notify.delivery import ledger, robots
from services.notify.delivery.channels import Channel, Letter
from services.notify.delivery.channels.interface import Target
from services.notify.delivery.endpoints import matching
from services.notify.delivery.models import WebhookEndpoint
from services.notify.directory.lookups import Contact, contacts
from services.notify.notifications.models import Notification, NotificationItem
from services.notify.preferences.categories import mandatory, urgent
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES, Preferences, held_for_digest, skip_reason
from services.notify.preferences.domain.quiet import QuietHours, wait_until
from services.notify.preferences.people import default_quiet_hours, for_people
from shared.settings import Settings


@dataclass
class Chunk:
    notification: Notification
    person_ids: list[int]
    prefs: dict[int, Preferences]
    mandatory: set[str]
    items: dict[int, NotificationItem]
    contacts: dict[int, Contact]
    endpoints: list[WebhookEndpoint]
    urgent: set[str] = field(default_factory=set)
    default_quiet: QuietHours | None = None
    zone: tzinfo | None = None
    _letters: dict[tuple[int, datetime], Letter] = field(default_factory=dict, repr=False)
    _common: tuple | None = field(default=None, repr=False)

    def held(self, person_id: int) -> bool:
        """The person reads this notification in their digest, not now."""
        return held_for_digest(self.notification.category, self.prefs.get(person_id, DEFAULT_PREFERENCES),
                               self.mandatory)

    def waits_until(self, person_id: int, channel: str, now: datetime) -> datetime | None:
        """Until when a new delivery to this person over ``channel`` waits (their quiet hours), or None."""
        if self.zone is None:
            return None
        prefs = self.prefs.get(person_id, DEFAULT_PREFERENCES)
        return wait_until(channel, self.notification.category, prefs.quiet(self.default_quiet), self.urgent,
                          now, self.zone)

    def robots(self) -> list[WebhookEndpoint]:
        """The robots this chunk's people bring the notification to (one summary each, whoever brings it);
        none for a private notification (its body and link are for each recipient alone, not a group chat:
        ``Notification.private``)."""
        if not self.endpoints or self.notification.private:
            return []
        return robots.reaching(self.endpoints, (c.lineage for c in self.contacts.values()),
                               self.notification.category)

    def reached_by_robot(self, person_id: int) -> bool:
        """A robot of the person's org (or a group-wide one) carries this notification's summary."""
        contact = self.contacts.get(person_id)
        return bool(self.endpoints and contact and not self.notification.private
                    and robots.reaching(self.endpoints, [contact.lineage], self.notification.category))

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
                      tuple(Target(e.url, e.secret, e.format) for e in reaching), private=private)


def load_chunk(session: Session, notification: Notification, person_ids: list[int],
               settings: Settings | None = None) -> Chunk:
    items = session.execute(select(NotificationItem).where(
        NotificationItem.notification_id == notification.id, among(NotificationItem.person_id, person_ids))).scalars()
    wants, mine = set(notification.channels), set(person_ids)
    return Chunk(
        notification, person_ids, for_people(session, person_ids), mandatory(session),
        {i.person_id: i for i in items if i.person_id in mine},
        contacts(session, person_ids) if wants & {"email", "webhook"} else {},
        _endpoints(session) if "webhook" in wants else [],
        urgent(session), default_quiet_hours(settings) if settings else None, settings.zone if settings else None,
    )


def _endpoints(session: Session) -> list[WebhookEndpoint]:
    """Every endpoint, in id order (chunks lock robot rows in one order: no deadlock between them)."""
    return list(session.execute(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).scalars())


def first_action(chunk: Chunk, letter: Letter, channel: Channel) -> tuple[str, str | None]:
    """How a new ledger row starts (``deliver``, ``enqueue`` or ``skip``), and the reason when skipped:
    the person's preferences first (unless the category is mandatory), then their digest (held: ``digest``),
    then whether the channel reaches them."""
    prefs = chunk.prefs.get(letter.person_id, DEFAULT_PREFERENCES)
    reason = skip_reason(chunk.notification.category, channel.name, prefs, chunk.mandatory) \
        or ("digest" if chunk.held(letter.person_id) else None) or channel.unreachable(letter)
    if reason == "no_endpoint" and chunk.reached_by_robot(letter.person_id):
        reason = "robot_summary"  # no endpoint of their own: their org's chat robot got the summary
    if reason is not None:
        return "skip", reason
    return ("deliver" if channel.in_transaction else "enqueue"), None


def ledger_rows(chunk: Chunk, channels: dict[str, Channel], now: datetime) -> list[dict]:
    rows, notification_id, names = [], chunk.notification.id, list(chunk.notification.channels)
    for person_id in chunk.person_ids:
        letter = chunk.letter(person_id, now)
        for name in names:
            action, reason = first_action(chunk, letter, channels[name])
            wait = chunk.waits_until(person_id, name, now) if action == "enqueue" else None
            rows.append(ledger.row(notification_id, person_id, name, action, reason, now, wait))
    return rows


def held_items(chunk: Chunk, now: datetime) -> list[dict]:
    """The digest items of the chunk's people who hold this notification for their digest."""
    items = []
    for person_id in chunk.person_ids:
        if chunk.held(person_id):
            letter = chunk.letter(person_id, now)
            items.append({"person_id": person_id, "notification_id": letter.notification_id,
                          "category": letter.category, "subject": letter.subject, "link": letter.link,
                          "created_at": now})
    return items
