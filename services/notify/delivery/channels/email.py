"""Email over SMTP (smtplib): one connection per batch, a stable Message-ID per delivery."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

from services.notify.domain.policy import SENT, Outcome, permanent, temporary
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


class Mailer(Protocol):
    def send_batch(self, emails: list[Email]) -> list[Outcome]: ...


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
