"""People a daily-work record names: holders from the record's org (its subtree), each active; else 422."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.models import Org, Person
from shared.errors import ValidationFailed
from shared.i18n import bilingual


def holders_of_org(session: Session, org: Org, person_ids: list[int], field: str, indexed: bool = True) -> list[int]:
    """The distinct ids, each an active person of ``org`` or below it; else 422 on ``field.<index>``
    (on ``field`` itself when not ``indexed``)."""
    wanted = list(dict.fromkeys(person_ids))
    rows = dict(session.execute(select(Person.id, Person.org_path).where(Person.id.in_(wanted),
                                                                         Person.active.is_(True))).all()) \
        if wanted else {}
    message = bilingual("人员不存在或不属于该组织", "unknown, or not a person of this org")
    bad = {f"{field}.{i}" if indexed else field: [message] for i, pid in enumerate(person_ids)
           if pid not in rows or not rows[pid].startswith(org.path)}
    if bad:
        raise ValidationFailed(errors=bad)
    return wanted


def person_of_org(session: Session, org: Org, person_id: int, field: str) -> Person:
    """One active person of ``org`` or below it; else 422 on ``field``."""
    holders_of_org(session, org, [person_id], field, indexed=False)
    return session.get(Person, person_id)
