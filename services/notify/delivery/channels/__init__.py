"""Delivery adapters (email, webhook) behind small interfaces, chosen by settings."""

from __future__ import annotations

from dataclasses import dataclass

from services.notify.channels.email import Mailer, SmtpMailer
from services.notify.channels.webhook import HttpWebhookSender, WebhookSender
from shared.settings import Settings


@dataclass
class Channels:
    mailer: Mailer | None  # None: no SMTP configured, email deliveries are skipped and recorded
    webhooks: WebhookSender


def from_settings(settings: Settings) -> Channels:
    mailer = SmtpMailer.from_settings(settings) if settings.smtp_host else None
    return Channels(mailer=mailer, webhooks=HttpWebhookSender(allow=settings.webhook_allow))
