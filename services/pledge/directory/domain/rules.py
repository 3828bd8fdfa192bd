"""Rules of the directory (plain): who may write it, what an id can be, who counts as a secretary."""

from __future__ import annotations

from collections.abc import Iterable

from shared import roles as vocabulary
from shared.principal import Principal, require_org

MAX_ID = 2_147_483_647  # ids are 32-bit: a larger number names nothing and must not reach the database
SECRETARY = "secretary"  # 书记


def require_directory_admin(principal: Principal, lineage: list[int]) -> None:
    """Other group systems (HR) and admins write anywhere; an org admin within their subtree."""
    if principal.is_system:
        return
    require_org(principal, lineage)


def is_secretary(roles: Iterable[str] | None) -> bool:
    """Read through the one vocabulary (``shared.roles``): ``书记`` left by older data counts too."""
    return vocabulary.is_secretary(roles)
