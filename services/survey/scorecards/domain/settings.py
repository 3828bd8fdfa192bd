"""A year's scorecard settings: weights per part and grade bounds, stored as exact decimal text.

What the admin leaves out keeps the default (weights key by key); the grade bounds given replace the
default bounds as a whole (a set of grades is one decision).
"""

from __future__ import annotations

from typing import Any

from services.survey.scorecards.domain.composition import (
    DEFAULT_FAIL_GRADE,
    DEFAULT_GRADE_BOUNDS,
    DEFAULT_WEIGHTS,
    PARTS,
    YearSettings,
    exact,
)


def defaults() -> dict[str, Any]:
    return {"weights": dict(DEFAULT_WEIGHTS), "grade_bounds": dict(DEFAULT_GRADE_BOUNDS),
            "fail_grade": DEFAULT_FAIL_GRADE}


def merged(given: dict[str, Any]) -> dict[str, Any]:
    """The stored form of what a PUT gave: numbers as their decimal text, defaults filled in."""
    out = defaults()
    out["weights"].update({p: str(w) for p, w in (given.get("weights") or {}).items()})
    if given.get("grade_bounds"):
        out["grade_bounds"] = {g: str(b) for g, b in given["grade_bounds"].items()}
    if given.get("fail_grade"):
        out["fail_grade"] = given["fail_grade"]
    return out


def problems(stored: dict[str, Any]) -> dict[str, str]:
    """Field → what is wrong (beyond each value's own range): every weight zero."""
    if all(exact(stored["weights"][p]) == 0 for p in PARTS):
        return {"weights": "at least one weight must be above 0"}
    return {}


def year_settings(stored: dict[str, Any] | None) -> YearSettings:
    stored = stored or defaults()
    return YearSettings(weights={p: exact(stored["weights"].get(p, "0")) for p in PARTS},
                        grade_bounds={g: exact(b) for g, b in stored["grade_bounds"].items()},
                        fail_grade=stored["fail_grade"])
