"""The period a round evaluates (its 三服务 targets show on the ballots)."""

from datetime import date

from services.survey.rounds.domain.period import period_of, with_period


def test_default_is_the_closing_year_and_a_given_end_completes_its_year():
    assert with_period({}, date(2026, 12, 20)) == {"period_start": "2026-01-01", "period_end": "2026-12-31"}
    assert with_period({"period_start": date(2026, 4, 1)}, date(2027, 1, 5))["period_end"] == "2026-12-31"
    assert with_period({"period_end": date(2026, 6, 30)}, date(2026, 7, 5))["period_start"] == "2026-01-01"
    both = with_period({"period_start": date(2026, 4, 1), "period_end": date(2026, 6, 30)}, date(2026, 7, 5))
    assert period_of(both, date(2026, 7, 5)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_of({}, date(2025, 3, 1)) == (date(2025, 1, 1), date(2025, 12, 31))
