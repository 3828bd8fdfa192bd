"""Orgs and people as the directory messages carry them (``OrgRecord``, ``PersonRecord`` in ``shared.messages``)."""

from __future__ import annotations

from services.pledge.directory.models import Org, Person
from shared.messages import OrgRecord, PersonRecord


def org_record(org: Org) -> OrgRecord:
    return OrgRecord(id=org.id, code=org.code, name=org.name, kind=org.kind, parent_id=org.parent_id,
                     path=org.path)


def person_record(person: Person) -> PersonRecord:
    return PersonRecord(
        id=person.id, employee_no=person.employee_no, name=person.name, org_id=person.org_id,
        party_member=bool(person.party_member),
        joined_party_on=person.joined_party_on.isoformat() if person.joined_party_on else None,
        roles=list(person.roles or []), email=person.email, phone=person.phone, active=bool(person.active),
    )
