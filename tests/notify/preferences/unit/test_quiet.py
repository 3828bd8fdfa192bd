"""Quiet hours as plain rules, on a fake clock: who waits, until when, across midnight and time zones."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.notify.preferences.domain.quiet import OFF, QuietHours, parse_time, quiet_until, wait_until

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours.parse("22:00", "07:00")


def _at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """``hour:minute`` on 2026-12-``day`` in Shanghai, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize("now, until", [
    (_at(21, 59), None),
    (_at(22, 0), _at(7, 0, day=2)),
    (_at(23, 30), _at(7, 0, day=2)),
    (_at(0, 15, day=2), _at(7, 0, day=2)),
    (_at(6, 59, day=2), _at(7, 0, day=2)),
    (_at(7, 0, day=2), None),
    (_at(12, 0), None),
])
def test_the_night_span_crosses_midnight(now, until):
    assert quiet_until(NIGHT, now, SHANGHAI) == until


def test_a_daytime_span_and_switched_off():
    lunch = QuietHours.parse("12:00", "13:30")
    assert quiet_until(lunch, _at(12, 45), SHANGHAI) == _at(13, 30)
    assert quiet_until(lunch, _at(13, 30), SHANGHAI) is None
    assert quiet_until(OFF, _at(23, 0), SHANGHAI) is None and OFF.as_dict() is None
    assert quiet_until(None, _at(23, 0), SHANGHAI) is None


def test_the_inbox_and_urgent_categories_never_wait():
    late = _at(23, 0)
    assert wait_until("email", "general", NIGHT, set(), late, SHANGHAI) == _at(7, 0, day=2)
    assert wait_until("webhook", "general", NIGHT, set(), late, SHANGHAI) == _at(7, 0, day=2)
    assert wait_until("inbox", "general", NIGHT, set(), late, SHANGHAI) is None
    assert wait_until("email", "pledge_due", NIGHT, {"pledge_due"}, late, SHANGHAI) is None


def test_the_zone_is_the_campaigns():
    utc_night = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 07:00 the next morning in Shanghai
    assert quiet_until(NIGHT, utc_night, SHANGHAI) is None
    assert quiet_until(NIGHT, utc_night, UTC) == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_times_are_hh_mm():
    assert parse_time("07:05") == time(7, 5) and QuietHours.parse_span("") is None
    assert QuietHours.parse_span("22:00-07:00") == NIGHT
    for bad in ("7:00", "24:00", "22:60", "", "noon"):
        with pytest.raises(ValueError):
            parse_time(bad)


@settings(max_examples=200, deadline=None)
@given(start=st.times(), end=st.times(),
       when=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
def test_a_held_delivery_waits_until_outside_the_span_and_no_longer_than_a_day(start, end, when):
    hours = QuietHours(start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))
    now = when.replace(tzinfo=UTC)
    until = quiet_until(hours, now, SHANGHAI)
    if until is None:
        assert not hours.holds(now.astimezone(SHANGHAI).time())
    else:
        assert now < until <= now + timedelta(days=1)
        assert not hours.holds(until.astimezone(SHANGHAI).time())
