"""People use cases: read, create, change (data, a transfer, leaving), list; each change is published."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.domain.rules import require_directory_admin
from services.pledge.directory.lookups import fetch, get_org, in_subtree
from services.pledge.directory.models import Org, Person
from services.pledge.directory.records import person_record
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.messages import DirectoryChanged
from shared.pagination import paginate
from shared.principal import Principal, require_org

NO_SUCH_ORG = ("组织不存在", "no such org")


def get_person(session: Session, principal: Principal, person_id: int) -> Person:
    person = fetch(session, Person, person_id)
    if person is None:
        raise NotFound()
    if principal.is_system or principal.person_id == person.id:
        return person
    if not principal.administers(path_ids(person.org_path)):
        raise Forbidden()
    return person


def _org_of_body(session: Session, org_id: int) -> Org:
    org = fetch(session, Org, org_id)
    if org is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual(*NO_SUCH_ORG)))
    return org


def create_person(ctx: Context, principal: Principal, data: dict) -> Person:
    session = ctx.session
    org = _org_of_body(session, data["org_id"])
    require_directory_admin(principal, path_ids(org.path))
    if session.execute(select(Person.id).where(Person.employee_no == data["employee_no"])).first():
        raise Conflict(errors=field_errors(employee_no=bilingual("工号已存在", "this employee number is taken")))
    person = Person(**data, org_path=org.path, active=True)
    session.add(person)
    session.flush()
    ctx.publish(DirectoryChanged(people=[person_record(person)]))
    return person


def update_person(ctx: Context, principal: Principal, person_id: int, data: dict) -> Person:
    """Change a person (a transfer needs admin rights over both orgs); published to the other services."""
    session = ctx.session
    person = fetch(session, Person, person_id)
    if person is None:
        raise NotFound()
    require_directory_admin(principal, path_ids(person.org_path))
    if "org_id" in data and data["org_id"] != person.org_id:
        org = _org_of_body(session, data["org_id"])
        require_directory_admin(principal, path_ids(org.path))
        person.org_path = org.path
    for name, value in data.items():
        setattr(person, name, value)
    session.flush()
    ctx.publish(DirectoryChanged(people=[person_record(person)]))
    return person


def list_people(session: Session, principal: Principal, args: dict) -> dict:
    org_id = args.get("org_id", principal.org if not (principal.is_admin or principal.is_system) else None)
    stmt = select(Person).order_by(Person.id)
    if org_id is not None:
        org = get_org(session, org_id)
        if not principal.is_system:
            require_org(principal, path_ids(org.path))
        stmt = stmt.where(in_subtree(Person.org_path, org.path)) if args.get("subtree") else stmt.where(
            Person.org_id == org.id)
    elif not (principal.is_admin or principal.is_system):
        raise Forbidden("org_forbidden")
    if "party_member" in args:
        stmt = stmt.where(Person.party_member.is_(args["party_member"]))
    if args.get("q"):
        stmt = stmt.where(Person.name.contains(args["q"]) | (Person.employee_no == args["q"]))
    if not args.get("include_inactive"):
        stmt = stmt.where(Person.active.is_(True))
    return paginate(session, stmt, args["page"], args["page_size"])
