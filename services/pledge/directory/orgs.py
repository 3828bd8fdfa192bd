"""Directory use cases: orgs and people, one function per action; each publishes ``DirectoryChanged``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from services.pledge.app import service
from services.pledge.pledges.models import Org, Person
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord
from shared.pagination import paginate


def in_subtree(column, path: str) -> ColumnElement[bool]:
    """``column`` starts with ``path`` (a materialised path: digits and slashes, safe to inline so the
    planner sees a constant prefix and uses the index)."""
    return column.like(literal(path + "%", literal_execute=True))


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


def require_directory_admin(principal: Principal, lineage: list[int]) -> None:
    """Other group systems (HR) and admins write anywhere; an org admin within their subtree."""
    if principal.is_system:
        return
    require_org(principal, lineage)


def get_org(session: Session, org_id: int) -> Org:
    org = session.get(Org, org_id)
    if org is None:
        raise NotFound()
    return org


def create_org(session: Session, principal: Principal, data: dict) -> Org:
    parent = None
    if data.get("parent_id") is not None:
        parent = session.get(Org, data["parent_id"])
        if parent is None:
            raise ValidationFailed(errors=field_errors(parent_id=bilingual("上级组织不存在", "no such parent org")))
        require_directory_admin(principal, path_ids(parent.path))
    elif not (principal.is_admin or principal.is_system):
        raise Forbidden("org_forbidden")
    if session.execute(select(Org.id).where(Org.code == data["code"])).first():
        raise Conflict(errors=field_errors(code=bilingual("组织编码已存在", "this code is taken")))
    org = Org(**data)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    service.publish(session, DirectoryChanged(orgs=[org_record(org)]))
    return org


def list_orgs(session: Session, args: dict) -> dict:
    stmt = select(Org).order_by(Org.id)
    if "parent_id" in args:
        stmt = stmt.where(Org.parent_id == args["parent_id"])
    if "kind" in args:
        stmt = stmt.where(Org.kind == args["kind"])
    if args.get("q"):
        stmt = stmt.where(Org.name.contains(args["q"]))
    return paginate(session, stmt, args["page"], args["page_size"])


def org_tree(session: Session, org_id: int) -> dict:
    """The org and its whole subtree, nested: ``{id, name, kind, code, children: [...]}``."""
    root = get_org(session, org_id)
    rows = session.execute(
        select(Org.id, Org.name, Org.kind, Org.code, Org.parent_id).where(in_subtree(Org.path, root.path))
        .order_by(Org.id)
    ).all()
    nodes = {r.id: {"id": r.id, "name": r.name, "kind": r.kind, "code": r.code, "children": []} for r in rows}
    for r in rows:
        if r.id != root.id and r.parent_id in nodes:
            nodes[r.parent_id]["children"].append(nodes[r.id])
    return nodes[root.id]


def get_person(session: Session, principal: Principal, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound()
    if principal.is_system or principal.person_id == person.id:
        return person
    if not principal.administers(path_ids(person.org_path)):
        raise Forbidden()
    return person


def create_person(session: Session, principal: Principal, data: dict) -> Person:
    org = session.get(Org, data["org_id"])
    if org is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
    require_directory_admin(principal, path_ids(org.path))
    if session.execute(select(Person.id).where(Person.employee_no == data["employee_no"])).first():
        raise Conflict(errors=field_errors(employee_no=bilingual("工号已存在", "this employee number is taken")))
    person = Person(**data, org_path=org.path, active=True)
    session.add(person)
    session.flush()
    service.publish(session, DirectoryChanged(people=[person_record(person)]))
    return person


def update_person(session: Session, principal: Principal, person_id: int, data: dict) -> Person:
    """Change a person (a transfer needs admin rights over both orgs); published to the other services."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound()
    require_directory_admin(principal, path_ids(person.org_path))
    if "org_id" in data and data["org_id"] != person.org_id:
        org = session.get(Org, data["org_id"])
        if org is None:
            raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
        require_directory_admin(principal, path_ids(org.path))
        person.org_path = org.path
    for name, value in data.items():
        setattr(person, name, value)
    session.flush()
    service.publish(session, DirectoryChanged(people=[person_record(person)]))
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


def secretaries(session: Session, org_id: int) -> list[int]:
    """Active people of an org whose roles include secretary (书记)."""
    rows = session.execute(
        select(Person.id, Person.roles).where(Person.org_id == org_id, Person.active.is_(True))
    ).all()
    return [r.id for r in rows if "secretary" in (r.roles or [])]


def people_after(session: Session, last: int, batch: int) -> DirectoryChanged | None:
    people = list(session.scalars(select(Person).where(Person.id > last).order_by(Person.id).limit(batch)))
    return DirectoryChanged(people=[person_record(p) for p in people]) if people else None


def sync_directory(batch: int = 1000) -> dict[str, int]:
    """Publish a full snapshot of the directory (``xianfeng sync-directory``, task ``pledge.sync_directory``).

    Every org in one snapshot message, then people in batches.  A snapshot message deactivates, in the
    consumer's copy, whatever it does not mention — so only the first (orgs only) carries ``snapshot``;
    people go as plain upserts with their ``active`` flag.  One transaction per message."""
    with service.db.session() as s:
        first = DirectoryChanged(orgs=[org_record(o) for o in s.scalars(select(Org).order_by(Org.id))],
                                 snapshot=True)
        service.publish(s, first)
    counts = {"messages": 1, "orgs": len(first.orgs), "people": 0}
    last = 0
    while True:
        with service.db.session() as s:
            message = people_after(s, last, batch)
            if message is None:
                return counts
            service.publish(s, message)
        last = message.people[-1].id
        counts["messages"] += 1
        counts["people"] += len(message.people)


def count_people(session: Session, org: Org) -> int:
    return session.execute(select(func.count()).where(in_subtree(Person.org_path, org.path))).scalar_one()
