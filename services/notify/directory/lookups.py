"""What notify asks its copy of the directory: an org's path and subtree, a person's lineage, contacts,
secretaries.  Every lookup of ``dir_orgs``/``dir_people`` is written here, once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notify.db import among
from services.notify.directory.models import directory
from shared.directory import lineage, path_ids
from shared.roles import is_secretary


def org_path(session: Session, org_id: int) -> str | None:
    """The materialised path of an active org ("/1/2/"), None when unknown or inactive."""
    o = directory.orgs
    return session.execute(select(o.c.path).where(o.c.id == org_id, o.c.active.is_(True))).scalar()


def org_lineage(session: Session, org_id: int) -> list[int]:
    """The org and its ancestors; empty when unknown."""
    return lineage(session, directory, org_id)


def person_lineage(session: Session, person_id: int) -> list[int]:
    """The person's org and its ancestors; empty when unknown."""
    p = directory.people
    path = session.execute(select(p.c.org_path).where(p.c.id == person_id)).scalar()
    return path_ids(path) if path else []


def subtree_org_ids(session: Session, org_id: int) -> list[int]:
    """The org and every org below it (just the id when the org is unknown)."""
    o = directory.orgs
    path = session.execute(select(o.c.path).where(o.c.id == org_id)).scalar()
    if path is None:
        return [org_id]
    return list(session.execute(select(o.c.id).where(o.c.path.startswith(path))).scalars())


def all_inside(session: Session, org_id: int | None, person_ids: Iterable[int]) -> bool:
    """Every one of these people belongs to the org's subtree."""
    ids = set(person_ids)
    own_path = session.execute(select(directory.orgs.c.path).where(directory.orgs.c.id == org_id)).scalar()
    if own_path is None:
        return not ids
    p = directory.people
    inside = session.execute(select(func.count()).where(p.c.id.in_(ids), p.c.org_path.startswith(own_path)))
    return inside.scalar_one() == len(ids)


@dataclass(frozen=True)
class Contact:
    person_id: int
    name: str
    employee_no: str
    org_id: int
    lineage: tuple[int, ...]
    email: str | None


def contacts(session: Session, person_ids: list[int]) -> dict[int, Contact]:
    """Directory details of these people (the active ones the projection knows)."""
    p = directory.people
    rows = session.execute(
        select(p.c.id, p.c.name, p.c.employee_no, p.c.org_id, p.c.org_path, p.c.email)
        .where(among(p.c.id, person_ids), p.c.active.is_(True))
    ).all()
    wanted = set(person_ids)
    return {r.id: Contact(r.id, r.name, r.employee_no, r.org_id, tuple(path_ids(r.org_path)), r.email or None)
            for r in rows if r.id in wanted}


def secretaries(session: Session, org_ids: set[int]) -> dict[int, list[int]]:
    """The active branch secretaries of these orgs, by org."""
    p = directory.people
    rows = session.execute(select(p.c.id, p.c.org_id, p.c.roles).where(
        p.c.org_id.in_(org_ids), p.c.active.is_(True)).order_by(p.c.id)).all()
    found: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        if is_secretary(r.roles):  # through the one vocabulary: 书记 and secretary alike
            found[r.org_id].append(r.id)
    return found
