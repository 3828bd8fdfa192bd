"""The channels (inbox, email, webhook) behind one interface (:mod:`.interface`), chosen by settings;
the robots' summaries go through the webhook sender."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.notify.delivery.channels.email import DisabledEmail, EmailChannel, SmtpMailer
from services.notify.delivery.channels.inbox import InboxWriter
from services.notify.delivery.channels.interface import Channel, Letter
from services.notify.delivery.channels.webhook import HttpWebhookSender, WebhookChannel, WebhookSender
from shared.settings import Settings

__all__ = ["Channel", "Channels", "Letter", "from_settings", "webhook_sender"]


@dataclass
class Channels:
    """This process's adapters; the inbox writes in the transaction of the session it is given."""

    email: Channel
    webhook: Channel
    robots: WebhookSender | None = None  # the robots' summaries (delivery.robots); None: not sent

    def outbound(self) -> dict[str, Channel]:
        """The channels that send after the commit."""
        return {"email": self.email, "webhook": self.webhook}

    def on(self, session: Session) -> dict[str, Channel]:
        """Every channel, the inbox writing in ``session``'s transaction."""
        return {"inbox": InboxWriter(session), **self.outbound()}


def webhook_sender(settings: Settings) -> HttpWebhookSender:
    return HttpWebhookSender(allow=settings.webhook_allow)


def from_settings(settings: Settings) -> Channels:
    """SMTP when ``XIANFENG_SMTP_HOST`` is set (else email is disabled); webhooks to allow-listed URLs."""
    email = EmailChannel(SmtpMailer.from_settings(settings)) if settings.smtp_host else DisabledEmail()
    sender = webhook_sender(settings)
    return Channels(email=email, webhook=WebhookChannel(sender), robots=sender)
