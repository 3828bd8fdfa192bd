"""Bearer tokens and the one-line checks every endpoint makes.

Two kinds of token pass:

- **ours**, HS256 with ``XIANFENG_SECRET_KEY`` (or, during a rotation, ``XIANFENG_SECRET_KEY_PREVIOUS``),
  minted by ``xianfeng token`` and the demo; claims ``sub`` (person id, for members), ``roles`` (admin |
  org_admin | member | system), ``org`` (the org an ``org_admin`` administers, with its subtree), ``exp``;
- **the group's identity provider's**, RS256/ES256 checked against its JWKS (``XIANFENG_JWKS_URL``): the
  key named by the token's ``kid``, its issuer and our audience required, roles, org and person read
  from the claims ``XIANFENG_JWT_CLAIMS`` names.  A service holding only the JWKS verifies, never mints.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import jwt
import structlog
from flask import current_app, g, request

from shared.errors import ApiError, Forbidden, Unauthorized
from shared.principal import ROLES, ClaimMap, Principal, require_org, require_self_or
from shared.settings import Settings

__all__ = ["ROLES", "Principal", "Verifier", "current_principal", "decode", "mint", "require", "require_org",
           "require_self_or"]
ALGORITHM = "HS256"
IDENTITY_PROVIDER_ALGORITHMS = ("RS256", "ES256")
LEEWAY = 30  # seconds of clock difference tolerated between the identity provider and us
KEY_SET_LIFESPAN = 300  # seconds the JWKS is kept before it is fetched again
log = structlog.get_logger(__name__)


class IdentityProviderUnavailable(ApiError):
    status, key = 503, "identity_provider_unavailable"


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
    return ClaimMap().principal(_claims(secret, token, [k for k in previous if k]))


class KeySet(jwt.PyJWKClient):
    """The identity provider's JWKS: kept ``KEY_SET_LIFESPAN`` seconds; a token with a ``kid`` it does not
    hold fetches it again once (at most every ``cooldown`` seconds, so that made-up kids cannot make us
    hammer the provider); while the provider does not answer, the keys fetched last stay in use."""

    def __init__(self, url: str, cooldown: float) -> None:
        super().__init__(url, lifespan=KEY_SET_LIFESPAN, timeout=5, cooldown_duration=cooldown)
        self._last_good: Any = None

    def fetch_data(self) -> Any:
        try:
            data = super().fetch_data()
        except jwt.PyJWKClientConnectionError as exc:
            if self._last_good is None:
                raise
            log.warning("jwks_unreachable", error=str(exc)[:200], using="the keys fetched last")
            return self._last_good
        self._last_good = data
        return data


class Verifier:
    """Turns a bearer token into a :class:`Principal`: ours by HS256, the identity provider's by its JWKS."""

    def __init__(self, settings: Settings) -> None:
        self.secrets = [k for k in (settings.hs256_secret, settings.secret_key_previous) if k]
        self.keys = KeySet(settings.jwks_url, settings.jwks_cooldown) if settings.jwks_url else None
        self.issuer, self.audience = settings.jwt_issuer, settings.jwt_audience
        self.claims = ClaimMap.parse(settings.jwt_claims)

    def principal(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized() from exc
        algorithm = header.get("alg")
        if algorithm == ALGORITHM and self.secrets:
            return decode(self.secrets[0], token, self.secrets[1:])
        if algorithm in IDENTITY_PROVIDER_ALGORITHMS and self.keys is not None and isinstance(header.get("kid"), str):
            return self.claims.principal(self._provider_claims(token, algorithm), lenient=True)
        raise Unauthorized()

    def _provider_claims(self, token: str, algorithm: str) -> dict:
        try:
            key = self.keys.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            log.error("jwks_unavailable", error=str(exc)[:200])
            raise IdentityProviderUnavailable() from exc
        except jwt.PyJWTError as exc:  # no kid, a kid the key set does not hold, a key we cannot read
            raise Unauthorized() from exc
        if key.algorithm_name != algorithm:  # an RSA key does not check an ES256 signature, nor the reverse
            raise Unauthorized()
        try:
            return jwt.decode(token, key.key, algorithms=[algorithm], issuer=self.issuer, audience=self.audience,
                              leeway=LEEWAY, options={"require": ["exp", "iss", "aud"]})
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("token_expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized() from exc


def _verifier() -> Verifier:
    verifier = current_app.extensions.get("xianfeng_verifier")
    if verifier is None:
        verifier = current_app.extensions["xianfeng_verifier"] = Verifier(current_app.config["XIANFENG_SETTINGS"])
    return verifier


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
    g.principal = _verifier().principal(token.strip())
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
