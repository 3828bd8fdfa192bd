"""Who may read and write supervision records, by the org they concern (the rules in ``domain.scope``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from services.pledge.directory.lookups import fetch, get_org
from services.pledge.directory.models import Org, Person
from services.pledge.supervision.domain.scope import ReadScope
from services.pledge.supervision.rows import org_for_field
from shared.directory import path_ids
from shared.errors import Forbidden
from shared.principal import Principal, require_org


def read_scope(session: Session, principal: Principal) -> ReadScope:
    if principal.is_admin or principal.is_system:
        return ReadScope(everything=True)
    if "org_admin" in principal.roles and principal.org is not None:
        org = fetch(session, Org, principal.org)
        if org is not None:
            return ReadScope(path=org.path)
    person = fetch(session, Person, principal.person_id)
    if person is None or not person.active:
        raise Forbidden()
    return ReadScope(org_id=person.org_id)


def scope_filter(scope: ReadScope, org_id_col: InstrumentedAttribute,
                 org_path_col: InstrumentedAttribute) -> ColumnElement[bool]:
    """A filter for rows whose org (id and path columns given) the scope covers."""
    if scope.everything:
        return true()
    if scope.path is not None:
        return org_path_col.startswith(scope.path)
    return org_id_col == scope.org_id if scope.org_id is not None else false()


def readable(session: Session, principal: Principal) -> ColumnElement[bool]:
    """Rows of orgs the caller may read (on a statement joined to ``Org``)."""
    return scope_filter(read_scope(session, principal), Org.id, Org.path)


def readable_org(session: Session, principal: Principal, org_id: int) -> Org:
    """The org, if the caller may read its records: 404 unknown, 403 outside the caller's scope."""
    org = get_org(session, org_id)
    if not read_scope(session, principal).covers(org):
        raise Forbidden("org_forbidden")
    return org


def org_filter(org: Org, subtree: bool) -> ColumnElement[bool]:
    """Rows of ``org`` itself, or of its whole subtree (on a statement joined to ``Org``)."""
    return Org.path.startswith(org.path) if subtree else Org.id == org.id


def requested_orgs(session: Session, principal: Principal, args: dict) -> ColumnElement[bool]:
    """A list's ``?org_id=&subtree=1`` as a filter (none without ``org_id``); 403 outside the caller's scope."""
    if args.get("org_id") is None:
        return true()
    return org_filter(readable_org(session, principal, args["org_id"]), bool(args.get("subtree")))


def scoped(session: Session, principal: Principal, stmt: Select, args: dict) -> Select:
    """Restrict a statement already joined to ``Org`` to what the caller may read and asked for."""
    return stmt.where(readable(session, principal), requested_orgs(session, principal, args))


def administered_body_org(session: Session, principal: Principal, org_id: int) -> Org:
    """The org named in a body: 422 when unknown, 403 when the caller does not administer it."""
    org = org_for_field(session, org_id)
    require_org(principal, path_ids(org.path))
    return org
