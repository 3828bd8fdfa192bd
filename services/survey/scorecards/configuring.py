"""A year's scorecard settings: read (defaults when never set) and set by the group admin; setting them
queues the year's recomputation in the same transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.survey.scorecards.domain import settings as rules
from services.survey.scorecards.domain.composition import YearSettings
from services.survey.scorecards.domain.messages import ComputeScorecards
from services.survey.scorecards.models import ScorecardSettings
from shared.context import Context
from shared.errors import ValidationFailed, field_errors
from shared.i18n import bilingual

YEARS = range(2000, 2101)


def check_year(year: int) -> None:
    if year not in YEARS:
        raise ValidationFailed(errors=field_errors(year=bilingual("年份应在 2000–2100 之间", "must be 2000–2100")))


def stored(session: Session, year: int) -> ScorecardSettings | None:
    return session.get(ScorecardSettings, year)


def settings_of(session: Session, year: int) -> YearSettings:
    row = stored(session, year)
    return rules.year_settings(row.settings if row else None)


def view(year: int, row: ScorecardSettings | None) -> dict:
    data = row.settings if row else rules.defaults()
    return {"year": year, "weights": {p: float(w) for p, w in data["weights"].items()},
            "grade_bounds": {g: float(b) for g, b in data["grade_bounds"].items()},
            "fail_grade": data["fail_grade"], "updated_at": row.updated_at if row else None, "default": row is None}


def read(session: Session, year: int) -> dict:
    check_year(year)
    return view(year, stored(session, year))


def put(ctx: Context, year: int, data: dict) -> dict:
    """Replace the year's settings (weights left out keep their default) and queue the recomputation."""
    check_year(year)
    merged = rules.merged(data)
    wrong = rules.problems(merged)
    if wrong:
        raise ValidationFailed(errors=field_errors(weights=bilingual("至少一项权重须大于 0", wrong["weights"])))
    row = stored(ctx.session, year)
    if row is None:
        row = ScorecardSettings(year=year)
        ctx.session.add(row)
    row.settings, row.updated_at = merged, ctx.now()
    ctx.publish(ComputeScorecards(year=year))
    return view(year, row)
