"""Who gets what over which channel, and when a failed delivery is tried again."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from shared.messages import CHANNELS

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


@dataclass(frozen=True)
class Preferences:
    muted_categories: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset(CHANNELS)


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


def backoff_seconds(attempts: int) -> int | None:
    """Seconds to wait before attempt ``attempts + 1``; None when the attempts are used up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return min(BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_CAP_SECONDS)


@dataclass(frozen=True)
class Outcome:
    """What one send attempt came to: ``ok``, or an error that is ``permanent`` or worth retrying."""

    ok: bool
    error: str | None = None
    permanent: bool = False


SENT = Outcome(ok=True)


def temporary(error: str) -> Outcome:
    return Outcome(ok=False, error=error[:500])


def permanent(error: str) -> Outcome:
    return Outcome(ok=False, error=error[:500], permanent=True)


def http_outcome(status: int) -> Outcome:
    """2xx delivered; 408, 429 and 5xx are worth another try; other answers will not change."""
    if 200 <= status < 300:
        return SENT
    if status in (408, 429) or status >= 500:
        return temporary(f"http {status}")
    return permanent(f"http {status}")
