"""What one send attempt came to, and when a failed delivery is tried again."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


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


NO_ADDRESS = permanent("no_address")


def http_outcome(status: int) -> Outcome:
    """2xx delivered; 408, 429 and 5xx are worth another try; other answers will not change."""
    if 200 <= status < 300:
        return SENT
    if status in (408, 429) or status >= 500:
        return temporary(f"http {status}")
    return permanent(f"http {status}")
