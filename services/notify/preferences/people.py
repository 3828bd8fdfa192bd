"""Per-person preferences (muted categories, accepted channels) and admin-mandatory categories."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.domain.policy import DEFAULT_PREFERENCES, Preferences
from services.notify.models import CategorySetting, Preference
from services.notify.sql import among
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.messages import CATEGORIES, CHANNELS

MANDATORY_CANNOT_BE_MUTED = bilingual("必收类别不能屏蔽", "A mandatory category cannot be muted")


def mandatory(session: Session) -> set[str]:
    return set(session.execute(select(CategorySetting.category).where(CategorySetting.mandatory.is_(True))).scalars())


def for_people(session: Session, person_ids: list[int]) -> dict[int, Preferences]:
    """Preferences of those who set any; everyone else has the defaults."""
    rows = session.execute(select(Preference).where(among(Preference.person_id, person_ids))).scalars()
    return {r.person_id: Preferences(frozenset(r.muted_categories), frozenset(r.channels)) for r in rows}


def read(session: Session, person_id: int) -> dict:
    row = session.get(Preference, person_id)
    prefs = Preferences(frozenset(row.muted_categories), frozenset(row.channels)) if row else DEFAULT_PREFERENCES
    must = mandatory(session)
    return {
        "person_id": person_id,
        "muted_categories": sorted(prefs.muted_categories),
        "channels": [c for c in CHANNELS if c in prefs.channels],
        "mandatory_categories": sorted(must),
    }


def write(session: Session, person_id: int, muted: list[str], channels: list[str], now: datetime) -> dict:
    blocked = sorted(set(muted) & mandatory(session))
    if blocked:
        raise ValidationFailed(errors={f"muted_categories.{c}": [MANDATORY_CANNOT_BE_MUTED] for c in blocked})
    row = session.get(Preference, person_id) or Preference(person_id=person_id)
    row.muted_categories = sorted(set(muted))
    row.channels = [c for c in CHANNELS if c in set(channels)]
    row.updated_at = now
    session.add(row)
    session.flush()
    return read(session, person_id)


def categories(session: Session) -> list[dict]:
    must = mandatory(session)
    return [{"category": c, "mandatory": c in must} for c in CATEGORIES]


def set_mandatory(session: Session, category: str, is_mandatory: bool, now: datetime) -> dict:
    row = session.get(CategorySetting, category) or CategorySetting(category=category)
    row.mandatory, row.updated_at = is_mandatory, now
    session.add(row)
    session.flush()
    return {"category": category, "mandatory": is_mandatory}
