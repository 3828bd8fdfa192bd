"""JWT bearer tokens (HS256) and the one-line checks every endpoint makes.

Claims: ``sub`` (person id, for members), ``roles`` (admin | org_admin | member | system),
``org`` (the org an ``org_admin`` administers, with its subtree), ``exp``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import jwt
from flask import current_app, g, request

from shared.errors import Forbidden, Unauthorized
from shared.principal import ROLES, Principal, require_org, require_self_or

__all__ = ["ROLES", "Principal", "current_principal", "decode", "mint", "require", "require_org", "require_self_or"]
ALGORITHM = "HS256"


def mint(secret: str, *, roles: Iterable[str], sub: str | None = None, org: int | None = None,
         ttl: int = 3600, now: float | None = None) -> str:
    roles = list(roles)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(unknown)}; known: {', '.join(ROLES)}")
    issued = int(now if now is not None else time.time())
    claims: dict = {"roles": roles, "iat": issued, "exp": issued + ttl}
    if sub is not None:
        claims["sub"] = str(sub)
    if org is not None:
        claims["org"] = int(org)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def _claims(secret: str, token: str, previous: Iterable[str]) -> dict:
    """The verified claims; a token signed with a key being rotated out (``previous``) still passes."""
    for key in (secret, *previous):
        try:
            return jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["exp", "roles"]})
        except jwt.InvalidSignatureError:
            continue
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("token_expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized() from exc
    raise Unauthorized()


def decode(secret: str, token: str, previous: Iterable[str] = ()) -> Principal:
    """The principal of a token signed with ``secret`` (or, during a key rotation, one of ``previous``)."""
    claims = _claims(secret, token, [k for k in previous if k])
    roles = claims.get("roles")
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        raise Unauthorized()
    org = claims.get("org")
    if org is not None and not isinstance(org, int):
        raise Unauthorized()
    if "org_admin" in roles and org is None:
        raise Unauthorized()
    sub = claims.get("sub")
    return Principal(sub=str(sub) if sub is not None else None, roles=frozenset(roles), org=org)


def current_principal(optional: bool = False) -> Principal | None:
    """The caller, from ``Authorization: Bearer``; 401 when absent or bad (unless ``optional``)."""
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        if optional:
            return None
        raise Unauthorized()
    settings = current_app.config.get("XIANFENG_SETTINGS")
    previous = (settings.secret_key_previous,) if settings is not None else ()
    g.principal = decode(current_app.config["SECRET_KEY"], token.strip(), previous)
    return g.principal


def require(*roles: str) -> Principal:
    """The caller if they hold one of ``roles`` (admin always passes); 401/403 otherwise."""
    principal = current_principal()
    assert principal is not None
    if principal.is_admin or principal.has_any(*roles):
        return principal
    raise Forbidden()


def _declared_public(view, method: str) -> bool:
    """True when the API operation says ``security=[]`` in its OpenAPI doc (e.g. the anonymous ballots)."""
    view_class = getattr(view, "view_class", None)
    target = view if view_class is None else getattr(view_class, "get" if method == "HEAD" else method.lower(), None)
    return getattr(target, "_apidoc", {}).get("manual_doc", {}).get("security") == []


def authenticate_before_parsing(app) -> None:
    """Callers of ``/api/`` operations show a valid token before their input is read: no or bad token → 401,
    never a 422 that tells an anonymous caller what the body should look like."""

    @app.before_request
    def _authenticate() -> None:
        if request.method == "OPTIONS" or not request.path.startswith("/api/") or request.endpoint is None:
            return
        view = app.view_functions.get(request.endpoint)
        if view is not None and not _declared_public(view, request.method):
            current_principal()
