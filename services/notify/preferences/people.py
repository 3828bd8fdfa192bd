"""A person's preferences: the categories they muted, the channels they accept, their quiet hours and
their digest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.db import among
from services.notify.directory.access import require_person
from services.notify.preferences.categories import mandatory
from services.notify.preferences.domain.policy import DEFAULT_PREFERENCES, Preferences
from services.notify.preferences.domain.quiet import QuietHours
from services.notify.preferences.models import Preference
from shared.auth import Principal
from shared.context import Context
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.messages import CHANNELS
from shared.settings import Settings

MANDATORY_CANNOT_BE_MUTED = bilingual("必收类别不能屏蔽", "A mandatory category cannot be muted")
MANDATORY_CANNOT_BE_HELD = bilingual("必收类别不能放入摘要", "A mandatory category cannot be held for a digest")
KEEP = object()  # a field left out of a PUT: unchanged


def default_quiet_hours(settings: Settings) -> QuietHours | None:
    return QuietHours.parse_span(settings.notify_quiet_hours)


def _prefs(row: Preference) -> Preferences:
    quiet = row.quiet_hours
    return Preferences(frozenset(row.muted_categories), frozenset(row.channels),
                       QuietHours.parse(quiet["start"], quiet["end"]) if quiet else None,
                       row.digest or "off", frozenset(row.digest_categories or ()))


def for_people(session: Session, person_ids: list[int]) -> dict[int, Preferences]:
    """Preferences of those who set any; everyone else has the defaults."""
    rows = session.execute(select(Preference).where(among(Preference.person_id, person_ids))).scalars()
    return {r.person_id: _prefs(r) for r in rows}


def read(ctx: Context, principal: Principal, person_id: int) -> dict:
    require_person(principal, ctx.session, person_id)
    return _view(ctx, person_id)


def write(ctx: Context, principal: Principal, person_id: int, muted_categories: list[str], channels: list[str],
          quiet_hours: Any = KEEP, digest: Any = KEEP, digest_categories: Any = KEEP) -> dict:
    """Replace them; a mandatory category cannot be muted nor held for a digest (422 naming each)."""
    session = ctx.session
    require_person(principal, session, person_id)
    must = mandatory(session)
    errors = {f"muted_categories.{c}": [MANDATORY_CANNOT_BE_MUTED] for c in sorted(set(muted_categories) & must)}
    if digest_categories is not KEEP:
        errors.update({f"digest_categories.{c}": [MANDATORY_CANNOT_BE_HELD]
                       for c in sorted(set(digest_categories) & must)})
    if errors:
        raise ValidationFailed(errors=errors)
    row = session.get(Preference, person_id) or Preference(person_id=person_id, digest="off", digest_categories=[])
    row.muted_categories = sorted(set(muted_categories))
    row.channels = [c for c in CHANNELS if c in set(channels)]
    if quiet_hours is not KEEP:
        off = {"start": "00:00", "end": "00:00"}  # a span that holds nothing (QuietHours.off)
        row.quiet_hours = off if quiet_hours is None else {"start": quiet_hours["start"], "end": quiet_hours["end"]}
    if digest is not KEEP:
        row.digest = digest
    if digest_categories is not KEEP:
        row.digest_categories = sorted(set(digest_categories))
    row.updated_at = ctx.now()
    session.add(row)
    session.flush()
    return _view(ctx, person_id)


def _view(ctx: Context, person_id: int) -> dict:
    row = ctx.session.get(Preference, person_id)
    prefs = _prefs(row) if row else DEFAULT_PREFERENCES
    quiet = prefs.quiet(default_quiet_hours(ctx.settings))
    return {
        "person_id": person_id,
        "muted_categories": sorted(prefs.muted_categories),
        "channels": [c for c in CHANNELS if c in prefs.channels],
        "quiet_hours": quiet.as_dict() if quiet else None,
        "digest": prefs.digest,
        "digest_categories": sorted(prefs.digest_categories),
        "mandatory_categories": sorted(mandatory(ctx.session)),
    }
