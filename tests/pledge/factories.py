"""factory_boy factories of the pledge tests: directory rows and pledges written straight into the tables, and
the body of ``POST /api/v1/pledges``.

Model factories write into the session given to ``factories_on(session)``::

    with pledge.db.session() as s, factories_on(s):
        branch = OrgFactory(kind="branch", parent=OrgFactory(kind="committee"))
        PersonFactory(org=branch, roles=["secretary"])
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import Session

from services.pledge.models import Org, Person, Pledge

_sessions: list[Session] = []


@contextmanager
def factories_on(session: Session) -> Iterator[Session]:
    """The model factories write into ``session`` inside this block."""
    _sessions.append(session)
    try:
        yield session
    finally:
        _sessions.pop()


class _ModelFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: _sessions[-1]  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrgFactory(_ModelFactory):
    """An org hung under ``parent`` (none: a root); its materialised path ends in its own id."""

    class Meta:
        model = Org
        exclude = ("parent",)

    parent = None
    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = "branch"
    parent_id = factory.LazyAttribute(lambda o: o.parent.id if o.parent else None)
    path = factory.LazyAttribute(lambda o: o.parent.path if o.parent else "/")  # + its id, once it has one

    @factory.post_generation
    def own_id_in_path(org: Org, create: bool, extracted, **kwargs) -> None:
        org.path = f"{org.path}{org.id}/"


class PersonFactory(_ModelFactory):
    """An active party member of ``org``."""

    class Meta:
        model = Person
        exclude = ("org",)

    org = factory.SubFactory(OrgFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"党员{n}")
    org_id = factory.LazyAttribute(lambda p: p.org.id)
    org_path = factory.LazyAttribute(lambda p: p.org.path)
    party_member = True
    roles = factory.LazyFunction(list)
    active = True


class PledgeFactory(_ModelFactory):
    """A published pledge of ``org`` (on the ledger), reviewed by its parent org."""

    class Meta:
        model = Pledge
        exclude = ("org",)

    org = factory.SubFactory(OrgFactory)
    pledger_type = "org"
    pledger_id = factory.LazyAttribute(lambda p: p.org.id)
    pledger_name = factory.LazyAttribute(lambda p: p.org.name)
    org_id = factory.LazyAttribute(lambda p: p.org.id)
    org_path = factory.LazyAttribute(lambda p: p.org.path)
    reviewer_org_id = factory.LazyAttribute(lambda p: p.org.parent_id)
    category = "key_tasks"
    title = factory.Sequence(lambda n: f"承诺{n}")
    due_on = factory.LazyFunction(date.today)
    state = "published"
    on_ledger = True
    channels = factory.LazyFunction(lambda: ["board", "meeting", "intranet"])
    on_board = on_meeting = on_intranet = True


class PledgeBodyFactory(factory.DictFactory):
    """The body of ``POST /api/v1/pledges`` (a category that fits the pledger, two targets, due in 90 days)."""

    pledger_type = "org"
    pledger_id = 1
    category = factory.LazyAttribute(lambda b: "key_tasks" if b.pledger_type == "org" else "first_class_results")
    title = "吨钢工序能耗再降 2%"
    content = "瞄准行业先进水平，找差距、挖潜力"
    audiences = factory.LazyFunction(lambda: ["上级党组织", "党员", "群众"])
    targets = factory.LazyFunction(lambda: [{"name": "降本", "unit": "万元", "target": 800},
                                            {"name": "合格率", "unit": "%", "target": 99.9}])
    due_on = factory.LazyFunction(lambda: (date.today() + timedelta(days=90)).isoformat())
