"""Webhook endpoints: registration (URL checked against the allow-list), listing, removal, ping."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.channels.webhook import Target, WebhookSender
from services.notify.models import WebhookEndpoint
from shared.errors import NotFound, ValidationFailed
from shared.i18n import bilingual
from shared.webhooks import UnsafeUrl, check_url, new_secret

URL_REFUSED = bilingual("该地址不允许（内网、本机或无法解析）",
                        "This address is not allowed (internal, loopback or unresolvable)")


def register(session: Session, *, url: str, org_id: int | None, description: str, categories: list[str],
             created_by: str | None, allow: str, now: datetime) -> WebhookEndpoint:
    try:
        check_url(url, allow)
    except UnsafeUrl as exc:
        raise ValidationFailed(errors={"url": [URL_REFUSED]}) from exc
    endpoint = WebhookEndpoint(url=url, org_id=org_id, secret=new_secret(), description=description,
                               categories=sorted(set(categories)), created_by=created_by, created_at=now)
    session.add(endpoint)
    session.flush()
    return endpoint


def get(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound()
    return endpoint


def listed(session: Session, org_ids: Iterable[int] | None, include_global: bool):
    """Endpoints of these orgs (``None``: every org), with or without the group-wide ones."""
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if org_ids is not None:
        cond = WebhookEndpoint.org_id.in_(list(org_ids))
        stmt = stmt.where(cond | WebhookEndpoint.org_id.is_(None) if include_global else cond)
    return stmt


def matching(endpoints: list[WebhookEndpoint], lineage: Iterable[int], category: str) -> list[WebhookEndpoint]:
    """The endpoints a person (by their org lineage) is reached through for ``category``."""
    orgs = set(lineage)
    return [e for e in endpoints
            if (e.org_id is None or e.org_id in orgs) and (not e.categories or category in e.categories)]


def ping(endpoint: WebhookEndpoint, sender: WebhookSender, now: datetime) -> dict:
    """Send a signed ``webhook.ping`` now and say how it went (one request, not a fan-out)."""
    msg_id = f"ping_{uuid.uuid4().hex}"
    payload = {"type": "webhook.ping", "timestamp": now.isoformat(),
               "data": {"endpoint_id": endpoint.id, "org_id": endpoint.org_id}}
    outcome = sender.send(Target(endpoint.url, endpoint.secret), msg_id, payload)
    return {"delivered": outcome.ok, "error": outcome.error, "message_id": msg_id}
