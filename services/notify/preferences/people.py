"""A person's preferences: the categories they muted and the channels they accept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.db import among
from services.notify.directory.access import require_person
from services.notify.preferences.categories import mandatory
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES, Preferences
from services.notify.preferences.models import Preference
from shared.auth import Principal
from shared.context import Context
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.messages import CHANNELS

MANDATORY_CANNOT_BE_MUTED = bilingual("必收类别不能屏蔽", "A mandatory category cannot be muted")


def for_people(session: Session, person_ids: list[int]) -> dict[int, Preferences]:
    """Preferences of those who set any; everyone else has the defaults."""
    rows = session.execute(select(Preference).where(among(Preference.person_id, person_ids))).scalars()
    return {r.person_id: Preferences(frozenset(r.muted_categories), frozenset(r.channels)) for r in rows}


def read(session: Session, principal: Principal, person_id: int) -> dict:
    require_person(principal, session, person_id)
    return _view(session, person_id)


def write(ctx: Context, principal: Principal, person_id: int, muted: list[str], channels: list[str]) -> dict:
    """Replace them; a mandatory category cannot be muted (422 naming each)."""
    session = ctx.session
    require_person(principal, session, person_id)
    blocked = sorted(set(muted) & mandatory(session))
    if blocked:
        raise ValidationFailed(errors={f"muted_categories.{c}": [MANDATORY_CANNOT_BE_MUTED] for c in blocked})
    row = session.get(Preference, person_id) or Preference(person_id=person_id)
    row.muted_categories = sorted(set(muted))
    row.channels = [c for c in CHANNELS if c in set(channels)]
    row.updated_at = ctx.now()
    session.add(row)
    session.flush()
    return _view(session, person_id)


def _view(session: Session, person_id: int) -> dict:
    row = session.get(Preference, person_id)
    prefs = Preferences(frozenset(row.muted_categories), frozenset(row.channels)) if row else DEFAULT_PREFERENCES
    return {
        "person_id": person_id,
        "muted_categories": sorted(prefs.muted_categories),
        "channels": [c for c in CHANNELS if c in prefs.channels],
        "mandatory_categories": sorted(mandatory(session)),
    }
