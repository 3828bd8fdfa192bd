"""Who gets what over which channel: a person's muted categories and channels, and mandatory categories."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.notify.preferences.domain.quiet import QuietHours
from shared.messages import CHANNELS

DIGESTS = ("off", "daily", "weekly")


@dataclass(frozen=True)
class Preferences:
    muted_categories: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset(CHANNELS)
    quiet_hours: QuietHours | None = None  # None: the configured default
    digest: str = "off"
    digest_categories: frozenset[str] = frozenset()

    def quiet(self, default: QuietHours | None) -> QuietHours | None:
        return self.quiet_hours if self.quiet_hours is not None else default


DEFAULT_PREFERENCES = Preferences()


def skip_reason(category: str, channel: str, prefs: Preferences, mandatory: Collection[str]) -> str | None:
    """Why this delivery is skipped (recorded in the ledger), or None to deliver it.

    A mandatory category goes through whatever the person muted or switched off.
    """
    if category in mandatory:
        return None
    if category in prefs.muted_categories:
        return "muted"
    if channel not in prefs.channels:
        return "channel_off"
    return None


NEVER_HELD = frozenset({"digest"})


def held_for_digest(category: str, prefs: Preferences, mandatory: Collection[str]) -> bool:
    """Whether a notification waits for the person's digest: their digest is on and lists the category;
    a mandatory category (and a digest itself) is never held."""
    return (prefs.digest != "off" and category in prefs.digest_categories and category not in mandatory
            and category not in NEVER_HELD)
