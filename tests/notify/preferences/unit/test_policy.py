"""Skip decisions as plain rules: muted categories and channels, unless the category is mandatory."""

from services.notify.preferences.domain.policy import Preferences, skip_reason


def test_muted_and_switched_off_are_skipped_unless_mandatory():
    prefs = Preferences(frozenset({"lookback"}), frozenset({"inbox"}))
    assert skip_reason("lookback", "inbox", prefs, set()) == "muted"
    assert skip_reason("general", "email", prefs, set()) == "channel_off"
    assert skip_reason("general", "inbox", prefs, set()) is None
    assert skip_reason("lookback", "email", prefs, {"lookback"}) is None
