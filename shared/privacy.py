"""Private notifications (``SendNotification.private``): what every reader but the recipient sees.

A private notification's link (a ballot link) is for the person it was addressed to alone.  For every
other reader — admins, org admins, system callers, its sender, dead-letter listings — the link is
withheld and any token in the subject or body is masked: the link itself, its last path segment (the
token), and anything shaped like a ballot link.  Plain functions on plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
BALLOT_LINK = re.compile(r"(/(?:b|api/v1/ballots)/)[\w-]{8,}")
TEXT_FIELDS = ("subject", "body")


def secrets_of(links: Iterable[str | None]) -> set[str]:
    """The links and their tokens (last path segment, 8 characters or more): what must not show."""
    out: set[str] = set()
    for link in links:
        if link:
            out.add(link)
            token = link.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            if len(token) >= 8:
                out.add(token)
    return out


def redact_text(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """``text`` with every secret (longest first) and every ballot-link token masked."""
    if not text:
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return BALLOT_LINK.sub(r"\1" + MASK, text)


def redact_message(message: dict, links: Iterable[str | None] = ()) -> dict:
    """A message (``subject``, ``body``, ``link``, …) as a reader other than its recipient sees it."""
    secrets = secrets_of([message.get("link"), *links])
    out = {**message, "link": None} if "link" in message else dict(message)
    for name in TEXT_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = redact_text(out[name], secrets)
    return out


def redact_payload(value: Any) -> Any:
    """A task's arguments as a listing shows them: a private ``SendNotification`` payload (anywhere in
    ``value``) and each of its items redacted; ballot-link tokens masked in every string."""
    if isinstance(value, dict):
        if value.get("private"):
            items = value.get("items") or []
            links = [value.get("link"), *(i.get("link") for i in items if isinstance(i, dict))]
            value = {**redact_message(value, links),
                     "items": [redact_message(i, links) if isinstance(i, dict) else i for i in items]}
        return {k: redact_payload(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_payload(v) for v in value]
    if isinstance(value, str):
        return BALLOT_LINK.sub(r"\1" + MASK, value)
    return value
