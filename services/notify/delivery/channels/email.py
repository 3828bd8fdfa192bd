"""Email over SMTP (smtplib): one connection per batch, a stable Message-ID per delivery.

Without ``XIANFENG_SMTP_HOST`` the channel is :class:`DisabledEmail`: every email is skipped and
recorded as ``email_disabled``.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

from services.notify.delivery.channels.interface import Letter
from services.notify.delivery.domain.outcomes import NO_ADDRESS, SENT, Outcome, permanent, temporary
from shared.settings import Settings


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    message_id: str


def render(email: Email, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, email.to, email.subject
    msg["Message-ID"], msg["Date"] = email.message_id, formatdate(localtime=False)
    msg.set_content(email.body, charset="utf-8")
    return msg


def email_of(letter: Letter) -> Email | None:
    """The letter as an email to the person's address (None without one); the link after the body."""
    if letter.person is None or not letter.person.email:
        return None
    text = f"{letter.body}\n\n{letter.link}" if letter.link else letter.body
    return Email(letter.person.email, letter.subject, text, f"<n{letter.notification_id}.p{letter.person_id}@xianfeng>")


class Mailer(Protocol):
    def send_batch(self, emails: list[Email]) -> list[Outcome]: ...


@dataclass
class EmailChannel:
    mailer: Mailer
    name: str = "email"
    in_transaction: bool = False

    def unreachable(self, letter: Letter) -> str | None:
        return None if email_of(letter) else "no_address"

    def send(self, letters: Sequence[Letter]) -> list[Outcome]:
        emails = [email_of(letter) for letter in letters]
        sent = iter(self.mailer.send_batch([e for e in emails if e is not None]) if any(emails) else ())
        return [next(sent) if e is not None else NO_ADDRESS for e in emails]


@dataclass
class DisabledEmail:
    """No SMTP server configured: nobody is reachable by email."""

    name: str = "email"
    in_transaction: bool = False

    def unreachable(self, letter: Letter) -> str | None:
        return "email_disabled"

    def send(self, letters: Sequence[Letter]) -> list[Outcome]:
        return [NO_ADDRESS for _ in letters]  # claimed while SMTP was configured, sent after it was not


@dataclass
class SmtpMailer:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpMailer:
        return cls(s.smtp_host, s.smtp_port, s.smtp_sender, s.smtp_user, s.smtp_password, s.smtp_starttls)

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if self.user:
            smtp.login(self.user, self.password)
        return smtp

    def send_batch(self, emails: list[Email]) -> list[Outcome]:
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [temporary(f"smtp connect: {type(exc).__name__}: {exc}")] * len(emails)
        outcomes: list[Outcome] = []
        try:
            for i, email in enumerate(emails):
                outcome = self._send_one(smtp, email)
                outcomes.append(outcome)
                if not outcome.ok and "disconnected" in (outcome.error or ""):
                    outcomes += [temporary("smtp disconnected")] * (len(emails) - i - 1)
                    break
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        return outcomes

    def _send_one(self, smtp: smtplib.SMTP, email: Email) -> Outcome:
        try:
            smtp.send_message(render(email, self.sender))
            return SENT
        except smtplib.SMTPRecipientsRefused as exc:
            return permanent(f"smtp refused: {exc.recipients}")
        except smtplib.SMTPResponseException as exc:
            text = f"smtp {exc.smtp_code}: {exc.smtp_error!r}"
            return permanent(text) if 500 <= exc.smtp_code < 600 else temporary(text)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            return temporary(f"smtp disconnected: {exc}")
