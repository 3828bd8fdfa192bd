"""Webhook endpoints: registration (URL checked against the allow-list), listing, removal, ping, and
which endpoints reach a person."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.delivery.channels import webhook_sender
from services.notify.delivery.channels.interface import Target
from services.notify.delivery.models import WebhookEndpoint
from services.notify.directory.access import require_org_or_global, tag
from services.notify.directory.lookups import subtree_org_ids
from shared.auth import Principal
from shared.context import Context
from shared.errors import NotFound, ValidationFailed
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.webhooks import UnsafeUrl, check_url, new_secret

URL_REFUSED = bilingual("该地址不允许（内网、本机或无法解析）",
                        "This address is not allowed (internal, loopback or unresolvable)")
SECRET_NOT_TAKEN = bilingual("只有钉钉机器人接受 secret（标准 Webhook 的密钥由系统生成）",
                             "Only a dingtalk robot takes a secret (a standard webhook's secret is generated)")


def register(ctx: Context, principal: Principal, *, url: str, org_id: int | None, description: str,
             categories: list[str], format: str = "standard", secret: str = "") -> WebhookEndpoint:
    """A new endpoint of ``org_id`` (None: group-wide).  A standard one's signing secret is generated and
    returned this once; a 钉钉 robot keeps the secret it was given (never shown again); 企业微信 has none."""
    require_org_or_global(principal, ctx.session, org_id)
    if secret and format != "dingtalk":
        raise ValidationFailed(errors={"secret": [SECRET_NOT_TAKEN]})
    try:
        check_url(url, ctx.settings.webhook_allow)
    except UnsafeUrl as exc:
        raise ValidationFailed(errors={"url": [URL_REFUSED]}) from exc
    endpoint = WebhookEndpoint(url=url, org_id=org_id, secret=new_secret() if format == "standard" else secret,
                               description=description, format=format, categories=sorted(set(categories)),
                               created_by=tag(principal), created_at=ctx.now())
    ctx.session.add(endpoint)
    ctx.session.flush()
    return endpoint


def get(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound()
    return endpoint


def listed(org_ids: Iterable[int] | None, include_global: bool):
    """Endpoints of these orgs (``None``: every org), with or without the group-wide ones."""
    stmt = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if org_ids is not None:
        cond = WebhookEndpoint.org_id.in_(list(org_ids))
        stmt = stmt.where(cond | WebhookEndpoint.org_id.is_(None) if include_global else cond)
    return stmt


def listing(session: Session, principal: Principal, org_id: int | None, page: int, page_size: int) -> dict:
    """One page of the endpoints the caller may see: an org admin those of their subtree."""
    if principal.is_admin or principal.is_system:
        orgs = None if org_id is None else [org_id]
        stmt = listed(orgs, include_global=orgs is None)
    else:
        stmt = listed(subtree_org_ids(session, principal.org), include_global=False)
    return paginate(session, stmt, page, page_size)


def remove(ctx: Context, principal: Principal, endpoint_id: int) -> None:
    endpoint = get(ctx.session, endpoint_id)
    require_org_or_global(principal, ctx.session, endpoint.org_id)
    ctx.session.delete(endpoint)


def matching(endpoints: list[WebhookEndpoint], lineage: Iterable[int], category: str) -> list[WebhookEndpoint]:
    """The standard endpoints a person (by their org lineage) is reached through for ``category`` (robots
    get one summary per notification instead: ``delivery.robots``)."""
    orgs = set(lineage)
    return [e for e in endpoints if not e.robot
            and (e.org_id is None or e.org_id in orgs) and (not e.categories or category in e.categories)]


def ping(unit_of_work: Callable[..., AbstractContextManager[Context]], principal: Principal,
         endpoint_id: int) -> dict:
    """Send a signed ``webhook.ping`` now and say how it went (one request, not a fan-out).  The endpoint
    is read in a unit of work of its own: no transaction stays open during the request."""
    with unit_of_work(read_only=True) as ctx:
        endpoint = get(ctx.session, endpoint_id)
        require_org_or_global(principal, ctx.session, endpoint.org_id)
        settings, now = ctx.settings, ctx.now()
    msg_id = f"ping_{uuid.uuid4().hex}"
    payload = {"type": "webhook.ping", "timestamp": now.isoformat(),
               "data": {"endpoint_id": endpoint.id, "org_id": endpoint.org_id}}
    sender = webhook_sender(settings)
    try:
        outcome = sender.send(Target(endpoint.url, endpoint.secret, endpoint.format), msg_id, payload)
    finally:
        sender.close()
    return {"delivered": outcome.ok, "error": outcome.error, "message_id": msg_id}
