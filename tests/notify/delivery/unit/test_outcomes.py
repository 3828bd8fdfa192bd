"""Send outcomes and retries as plain rules."""

from services.notify.delivery.domain.outcomes import MAX_ATTEMPTS, backoff_seconds, http_outcome


def test_backoff_doubles_then_gives_up():
    waits = [backoff_seconds(a) for a in range(1, MAX_ATTEMPTS + 1)]
    assert waits[:-1] == [30, 60, 120, 240] and waits[-1] is None
    assert http_outcome(204).ok and not http_outcome(503).permanent and http_outcome(404).permanent
