"""Submitting a suggestion.  An anonymous one is written with nothing that joins it to the person: no author,
no time of day (the day only), a random id; the request's transaction writes that one row and nothing else."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org, Person
from services.pledge.suggestions.domain.rules import may_submit_to
from services.pledge.suggestions.models import Suggestion
from services.pledge.suggestions.reading import view
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Forbidden, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.principal import Principal


def _submitter(session: Session, principal: Principal) -> Person:
    person = fetch(session, Person, principal.person_id)
    if person is None or not person.active:
        raise Forbidden()
    return person


def _target_org(session: Session, person: Person, org_id: int) -> Org:
    org = fetch(session, Org, org_id)
    if org is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
    if not may_submit_to(path_ids(session.get(Org, person.org_id).path), org.id):
        raise ValidationFailed(errors=field_errors(
            org_id=bilingual("只能向本人所在组织或其上级组织提出意见", "not your org nor one above it")))
    return org


def submit(ctx: Context, principal: Principal, data: dict) -> dict:
    """A person's suggestion to their org (or one above it); 201 with it as its readers will see it."""
    session = ctx.session
    person = _submitter(session, principal)
    org = _target_org(session, person, data["org_id"])
    suggestion = Suggestion(id=uuid.uuid4().hex, org_id=org.id, org_path=org.path, content=data["content"],
                            anonymous=data["anonymous"], author_id=None if data["anonymous"] else person.id,
                            submitted_on=ctx.today(), state="open")
    session.add(suggestion)
    session.flush()
    return view(suggestion, [])
