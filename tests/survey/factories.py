"""factory_boy factories of the survey tests: the pledge service's payloads and survey's own rows."""

from __future__ import annotations

from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from services.survey.models import Round
from services.survey.rounds.domain.rules import round_settings
from shared.db import utcnow
from shared.messages import OrgRecord, PersonRecord, PledgeRecord


class OrgRecordFactory(factory.Factory):
    class Meta:
        model = OrgRecord

    id = factory.Sequence(lambda n: 1000 + n)
    code = factory.LazyAttribute(lambda o: f"O{o.id}")
    name = factory.LazyAttribute(lambda o: f"支部{o.id}")
    kind = "branch"
    parent_id = None
    path = factory.LazyAttribute(lambda o: f"/{o.id}/")


class PersonRecordFactory(factory.Factory):
    """A person of the directory: a party member (党员<id>, joined 2001-07-01) or an employee (员工<id>)."""

    class Meta:
        model = PersonRecord

    id = factory.Sequence(lambda n: 10_000 + n)
    employee_no = factory.LazyAttribute(lambda p: f"E{p.id}")
    name = factory.LazyAttribute(lambda p: f"{'党员' if p.party_member else '员工'}{p.id}")
    org_id = 3
    party_member = False
    joined_party_on = factory.LazyAttribute(lambda p: "2001-07-01" if p.party_member else None)
    roles = factory.LazyFunction(list)


class PledgeRecordFactory(factory.Factory):
    class Meta:
        model = PledgeRecord

    id = factory.Sequence(lambda n: 5000 + n)
    title = factory.LazyAttribute(lambda p: f"承诺{p.id}")
    pledger_type = "person"
    pledger_id = 102
    org_id = 3
    state = "published"
    version = 1


class RoundFactory(SQLAlchemyModelFactory):
    """A round row; bind a session first: ``RoundFactory._meta.sqlalchemy_session = session``
    (or use the ``round_factory`` fixture)."""

    class Meta:
        model = Round
        sqlalchemy_session_persistence = "flush"

    kind = "three_way"
    title = factory.Sequence(lambda n: f"测评{n}")
    root_org_id = 1
    root_path = "/1/"
    closes_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=2))
    state = "draft"
    settings = factory.LazyFunction(lambda: round_settings({}))
    created_at = factory.LazyFunction(utcnow)
