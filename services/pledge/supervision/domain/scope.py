"""Which orgs' supervision records a caller may read (plain data):

- admin: everything; system: reads everything;
- org_admin: reads and writes within its org's subtree;
- member: reads the records of their own org (the branch they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class OrgLike(Protocol):
    id: int
    path: str


@dataclass(frozen=True)
class ReadScope:
    """The orgs a caller may read: all of them, a subtree (``path`` prefix), or one org."""

    everything: bool = False
    path: str | None = None
    org_id: int | None = None

    def covers(self, org: OrgLike) -> bool:
        if self.everything:
            return True
        if self.path is not None:
            return org.path.startswith(self.path)
        return org.id == self.org_id
