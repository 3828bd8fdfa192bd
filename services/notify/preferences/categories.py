"""Categories administrators made mandatory: nobody can mute them or switch them off by channel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.preferences.models import CategorySetting
from shared.context import Context
from shared.errors import NotFound
from shared.messages import CATEGORIES


def mandatory(session: Session) -> set[str]:
    return set(session.execute(select(CategorySetting.category).where(CategorySetting.mandatory.is_(True))).scalars())


def categories(session: Session) -> list[dict]:
    """Every category and whether it is mandatory."""
    must = mandatory(session)
    return [{"category": c, "mandatory": c in must} for c in CATEGORIES]


def set_mandatory(ctx: Context, category: str, is_mandatory: bool) -> dict:
    if category not in CATEGORIES:
        raise NotFound()
    row = ctx.session.get(CategorySetting, category) or CategorySetting(category=category)
    row.mandatory, row.updated_at = is_mandatory, ctx.now()
    ctx.session.add(row)
    ctx.session.flush()
    return {"category": category, "mandatory": is_mandatory}
