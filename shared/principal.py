"""Who is calling: the principal behind a token, as plain data (no Flask, no JWT).

Domain rules take a :class:`Principal` and decide; the web layer (``shared.auth``) builds it from the
bearer token.  Roles: ``admin`` (the group organisation department), ``org_admin`` (one org and its
subtree, ``org``), ``member`` (a person, ``sub`` = person id), ``system`` (another group system).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from shared.errors import Forbidden, Unauthorized

ROLES = ("admin", "org_admin", "member", "system")


@dataclass(frozen=True)
class Principal:
    sub: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    org: int | None = None

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_system(self) -> bool:
        return "system" in self.roles

    @property
    def person_id(self) -> int | None:
        """The person behind a member token (``sub`` as an integer id), else ``None``."""
        if "member" in self.roles and self.sub and self.sub.isdigit():
            return int(self.sub)
        return None

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def administers(self, lineage: Iterable[int]) -> bool:
        """True for admins, and for an org admin whose org is in ``lineage`` (an org and its ancestors)."""
        if self.is_admin:
            return True
        return "org_admin" in self.roles and self.org is not None and self.org in set(lineage)

    def to_log(self) -> dict:
        return {"sub": self.sub, "roles": sorted(self.roles), "org": self.org}


@dataclass(frozen=True)
class ClaimMap:
    """Which claims of a token carry the roles, the org and the person: ours (``roles``, ``org``, ``sub``),
    or an identity provider's from ``XIANFENG_JWT_CLAIMS`` (``roles=groups,org=dept_id,sub=employee_id``;
    a dotted name reaches into an object, e.g. ``roles=realm_access.roles``)."""

    roles: str = "roles"
    org: str = "org"
    sub: str = "sub"

    @classmethod
    def parse(cls, spec: str) -> ClaimMap:
        """``NAME=CLAIM`` pairs, comma-separated; names left out keep our claim; ValueError names a bad pair."""
        known = [f.name for f in fields(cls)]
        mapping: dict[str, str] = {}
        for pair in filter(None, (p.strip() for p in spec.split(","))):
            ours, sep, theirs = (part.strip() for part in pair.partition("="))
            if not sep or not ours or not theirs:
                raise ValueError(f"{pair!r} is not NAME=CLAIM (e.g. roles=groups)")
            if ours not in known:
                raise ValueError(f"{ours!r} is not one of {', '.join(known)}")
            if ours in mapping:
                raise ValueError(f"{ours} is mapped twice")
            mapping[ours] = theirs
        return cls(**mapping)

    def principal(self, claims: Mapping[str, Any], *, lenient: bool = False) -> Principal:
        """The principal the claims describe; 401 when they describe none we know.

        Strict (our own tokens): every role must be one of ours.  ``lenient`` (the identity provider's,
        whose groups claim lists groups of other systems too): roles we do not know are ignored, a
        space- or comma-separated string is a list, and an org may come as a string of digits."""
        roles = _claim(claims, self.roles)
        if lenient and isinstance(roles, str):
            roles = roles.replace(",", " ").split()
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise Unauthorized()
        if lenient:
            roles = [r for r in roles if r in ROLES]
        if not roles or any(r not in ROLES for r in roles):
            raise Unauthorized()
        org = _claim(claims, self.org)
        if lenient and isinstance(org, str) and org.isdigit():
            org = int(org)
        if org is not None and (not isinstance(org, int) or isinstance(org, bool)):
            raise Unauthorized()
        if "org_admin" in roles and org is None:
            raise Unauthorized()
        sub = _claim(claims, self.sub)
        return Principal(sub=str(sub) if sub is not None else None, roles=frozenset(roles), org=org)


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """``claims[name]``, or for a dotted name not present as such, the path into nested objects."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def require_org(principal: Principal, lineage: Iterable[int]) -> None:
    """403 unless the caller administers the org whose lineage (itself + ancestors) is given."""
    if not principal.administers(lineage):
        raise Forbidden("org_forbidden")


def require_self_or(principal: Principal, person_id: int, lineage: Iterable[int] = ()) -> None:
    """The person themself, an admin, or an org admin over the person's org."""
    if principal.person_id == person_id or principal.administers(lineage):
        return
    raise Forbidden()
