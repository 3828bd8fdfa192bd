"""Who reads and answers suggestions: admins (all), org admins (their subtree), and the secretaries and
deputy secretaries of an org (that org and its subtree); nobody else — not the author, not other systems."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch, get_org
from services.pledge.directory.models import Org, Person
from services.pledge.suggestions.domain.rules import covers, leads
from shared.errors import Forbidden
from shared.principal import Principal


def reader_path(session: Session, principal: Principal) -> str | None:
    """The subtree the caller reads (``""``: everything); 403 when the caller reads no suggestions."""
    if principal.is_admin:
        return ""
    if "org_admin" in principal.roles and principal.org is not None:
        org = fetch(session, Org, principal.org)
        if org is not None:
            return org.path
    person = fetch(session, Person, principal.person_id)
    if person is not None and person.active and leads(person.roles or []):
        return session.get(Org, person.org_id).path
    raise Forbidden()


def readable_org(session: Session, principal: Principal, org_id: int) -> Org:
    """An org named in a query: 404 unknown, 403 outside what the caller reads."""
    path = reader_path(session, principal)
    org = get_org(session, org_id)
    if not covers(path, org.path):
        raise Forbidden("org_forbidden")
    return org
