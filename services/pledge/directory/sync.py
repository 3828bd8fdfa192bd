"""A full snapshot of the directory for survey and notify (``xianfeng sync-directory``, ``pledge.sync_directory``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.models import Org, Person
from services.pledge.directory.records import org_record, person_record
from shared.context import Context
from shared.messages import DirectoryChanged


def people_after(session: Session, last: int, batch: int) -> DirectoryChanged | None:
    people = list(session.scalars(select(Person).where(Person.id > last).order_by(Person.id).limit(batch)))
    return DirectoryChanged(people=[person_record(p) for p in people]) if people else None


def sync_directory(unit_of_work: Callable[[], AbstractContextManager[Context]], batch: int = 1000) -> dict[str, int]:
    """Publish every org in one snapshot message, then people in batches, one transaction per message.

    A snapshot message deactivates, in the consumer's copy, whatever it does not mention — so only the
    first (orgs only) carries ``snapshot``; people go as plain upserts with their ``active`` flag."""
    with unit_of_work() as ctx:
        first = DirectoryChanged(orgs=[org_record(o) for o in ctx.session.scalars(select(Org).order_by(Org.id))],
                                 snapshot=True)
        ctx.publish(first)
    counts = {"messages": 1, "orgs": len(first.orgs), "people": 0}
    last = 0
    while True:
        with unit_of_work() as ctx:
            message = people_after(ctx.session, last, batch)
            if message is None:
                return counts
            ctx.publish(message)
        last = message.people[-1].id
        counts["messages"] += 1
        counts["people"] += len(message.people)
