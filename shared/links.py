"""Links people can open: absolute URLs, and signed links that expire, for a page opened with no header.

A notification's ``link`` is absolute (``XIANFENG_<SERVICE>_URL`` + path).  A page that needs to know
who may see what (a results page scoped to the recipient's org and subtree, a pledge to review)
carries a signed grant in its query string instead of a bearer token::

    url = links.signed_url(settings, "survey", f"/results/{round_id}", "results",
                           {"org": org_id, "sub": person_id}, ttl=30 * 86400)
    grant = links.verify(settings, "results", request.args["grant"])   # → {"org": …, "sub": …}

Grants are signed with ``XIANFENG_SECRET_KEY`` (a grant signed with ``XIANFENG_SECRET_KEY_PREVIOUS``
still verifies during a rotation), bound to a ``purpose`` (a grant for one page is refused by
another), and expire.  They are bearer secrets: the log redaction masks ``grant=`` values.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.errors import Forbidden, Unauthorized
from shared.settings import Settings

GRANT = "grant"  # the query parameter carrying a signed grant
DEFAULT_TTL = 30 * 24 * 3600


def absolute(settings: Settings, service: str, path: str, **query: Any) -> str:
    """``path`` on ``service`` as the outside world reaches it (``XIANFENG_<SERVICE>_URL``)."""
    url = settings.service(service).url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{urlencode(query)}" if query else url


def _serializer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    keys = [k for k in (settings.secret_key_previous, settings.secret_key) if k]  # newest last signs
    return URLSafeTimedSerializer(keys, salt=f"xianfeng.link.{purpose}")


def sign(settings: Settings, purpose: str, claims: dict[str, Any], ttl: int = DEFAULT_TTL) -> str:
    """A grant for ``purpose`` carrying ``claims`` (JSON-able), valid for ``ttl`` seconds."""
    return _serializer(settings, purpose).dumps({"c": claims, "exp": int(time.time()) + int(ttl)})


def signed_url(settings: Settings, service: str, path: str, purpose: str, claims: dict[str, Any],
               ttl: int = DEFAULT_TTL) -> str:
    return absolute(settings, service, path, **{GRANT: sign(settings, purpose, claims, ttl)})


def verify(settings: Settings, purpose: str, grant: str | None, now: float | None = None) -> dict[str, Any]:
    """The claims of a valid grant; 401 when missing, malformed, signed for another purpose or
    expired (``token_expired``)."""
    if not grant:
        raise Unauthorized()
    try:
        data = _serializer(settings, purpose).loads(grant)
    except SignatureExpired as exc:  # pragma: no cover - we carry our own expiry below
        raise Unauthorized("token_expired") from exc
    except BadSignature as exc:
        raise Unauthorized() from exc
    if not isinstance(data, dict) or not isinstance(data.get("c"), dict) or not isinstance(data.get("exp"), int):
        raise Unauthorized()
    if data["exp"] < (now if now is not None else time.time()):
        raise Unauthorized("token_expired")
    return data["c"]


def require_claim(claims: dict[str, Any], name: str, expected: Any) -> None:
    """403 unless the grant's ``name`` claim is ``expected`` (a grant for one round opens no other)."""
    if claims.get(name) != expected:
        raise Forbidden()
