"""Who is calling: the principal behind a token, as plain data (no Flask, no JWT).

Domain rules take a :class:`Principal` and decide; the web layer (``shared.auth``) builds it from the
bearer token.  Roles: ``admin`` (the group organisation department), ``org_admin`` (one org and its
subtree, ``org``), ``member`` (a person, ``sub`` = person id), ``system`` (another group system).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shared.errors import Forbidden

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


def require_org(principal: Principal, lineage: Iterable[int]) -> None:
    """403 unless the caller administers the org whose lineage (itself + ancestors) is given."""
    if not principal.administers(lineage):
        raise Forbidden("org_forbidden")


def require_self_or(principal: Principal, person_id: int, lineage: Iterable[int] = ()) -> None:
    """The person themself, an admin, or an org admin over the person's org."""
    if principal.person_id == person_id or principal.administers(lineage):
        return
    raise Forbidden()
