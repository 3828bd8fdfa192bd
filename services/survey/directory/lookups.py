"""Lookups in survey's copy of the directory, written once for every context that needs them."""

from __future__ import annotations

from collections.abc import Set

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.survey.directory.models import directory
from shared.roles import keys_of


def org_path(session: Session, org_id: int) -> str | None:
    """The materialised path of an org ("/1/5/9/"), or ``None`` when the copy does not know it."""
    t = directory.orgs
    return session.execute(select(t.c.path).where(t.c.id == org_id)).scalar()


def org_paths(session: Session) -> dict[int, str]:
    """Every org's path, by id."""
    o = directory.orgs
    return dict(session.execute(select(o.c.id, o.c.path)).all())


def holders_of(session: Session, root_path: str, roles: Set[str]) -> list[int]:
    """The active people of a subtree who hold one of ``roles`` (role keys of ``shared.roles``, e.g. the
    secretaries), by id; stored roles are read through the vocabulary (``书记`` counts as ``secretary``)."""
    p = directory.people
    rows = session.execute(select(p.c.id, p.c.roles).where(p.c.org_path.startswith(root_path),
                                                           p.c.active.is_(True))).all()
    return sorted(pid for pid, held in rows if keys_of(held) & roles)
