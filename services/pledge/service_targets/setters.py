"""Who may set and read service targets: the rule of ``domain.providers`` on the caller as the directory knows them.

Reading: admins and systems everything; an org admin its subtree and the orgs above it (whose targets serve
it); a member the targets of their own org and the orgs above it — what is promised to them and by them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch, in_subtree
from services.pledge.directory.models import Org, Person
from services.pledge.service_targets.domain.providers import Setter, may_set
from services.pledge.service_targets.models import ServiceTarget
from shared.directory import path_ids
from shared.errors import Forbidden
from shared.principal import Principal
from shared.roles import is_committee


def setter_of(session: Session, principal: Principal, provider_path: str) -> Setter:
    person = fetch(session, Person, principal.person_id)
    seat = person.org_id if person is not None and person.active and is_committee(person.roles) else None
    return Setter(admin=principal.is_admin, administers=principal.administers(path_ids(provider_path)),
                  person_id=person.id if person is not None and person.active else None, committee_of=seat)


def require_setter(session: Session, principal: Principal, provider_type: str, provider_id: int, org: Org) -> None:
    if not may_set(setter_of(session, principal, org.path), provider_type, provider_id, org.id):
        raise Forbidden()


def _caller_path(session: Session, principal: Principal) -> str | None:
    if "org_admin" in principal.roles and principal.org is not None:
        org = fetch(session, Org, principal.org)
        if org is not None:
            return org.path
    person = fetch(session, Person, principal.person_id)
    return person.org_path if person is not None and person.active else None


def readable(session: Session, principal: Principal) -> ColumnElement[bool]:
    """The service targets the caller may read, as a filter."""
    if principal.is_admin or principal.is_system:
        return true()
    path = _caller_path(session, principal)
    if path is None:
        return false()
    above = ServiceTarget.org_id.in_(path_ids(path))
    if "org_admin" in principal.roles and principal.org is not None:
        return or_(above, in_subtree(ServiceTarget.org_path, path))
    return above


def may_read(session: Session, principal: Principal, target: ServiceTarget) -> bool:
    if principal.is_admin or principal.is_system:
        return True
    path = _caller_path(session, principal)
    if path is None:
        return False
    return target.org_id in path_ids(path) or ("org_admin" in principal.roles and target.org_path.startswith(path))
