"""Political birthdays as plain rules: anniversaries (29 February → 28 February), who is greeted how."""

from datetime import date

import pytest

from services.notify.birthdays.domain.political_birthday import (
    Celebrant,
    anniversary_in,
    greeting,
    joined_days_for,
    secretary_digest,
    years_on,
)


@pytest.mark.parametrize("joined, day, years", [
    (date(2000, 2, 29), date(2023, 2, 28), 23),  # common year: 29 Feb → 28 Feb
    (date(2000, 2, 29), date(2024, 2, 29), 24),  # leap year: on the day
    (date(2000, 2, 29), date(2024, 2, 28), None),  # leap year: not the day before
    (date(2000, 2, 29), date(2023, 3, 1), None),
    (date(2001, 2, 28), date(2023, 2, 28), 22),
    (date(2001, 2, 28), date(2024, 2, 28), 23),
    (date(1990, 7, 1), date(2024, 7, 1), 34),
    (date(2024, 7, 1), date(2024, 7, 1), None),  # the day they joined is not an anniversary
    (date(1990, 7, 1), date(2024, 7, 2), None),
])
def test_years_on_an_anniversary(joined, day, years):
    assert years_on(joined, day) == years


def test_joining_dates_celebrated_on_a_day():
    assert joined_days_for(date(2023, 2, 28)) == [(2, 28), (2, 29)]
    assert joined_days_for(date(2024, 2, 28)) == [(2, 28)]
    assert joined_days_for(date(2024, 2, 29)) == [(2, 29)]
    assert anniversary_in(date(1996, 2, 29), 2025) == date(2025, 2, 28)


def test_greeting_and_secretary_list_name_the_years():
    c = Celebrant(7, "王强", 3, 25)
    subject, body = greeting(c)
    assert "25" in subject and "王强" in body and "政治生日" in body
    _, digest = secretary_digest([c, Celebrant(8, "陈红", 3, 3)])
    assert "王强（入党 25 周年）" in digest and "陈红（入党 3 周年）" in digest
