"""Categories administrators made mandatory (nobody can mute them or switch them off by channel), and
those of them marked urgent (delivered even in quiet hours)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.preferences.models import CategorySetting
from shared.context import Context
from shared.errors import NotFound, ValidationFailed
from shared.i18n import bilingual
from shared.messages import CATEGORIES

URGENT_NEEDS_MANDATORY = bilingual("只有必收类别可以设为紧急", "Only a mandatory category can be urgent")


def mandatory(session: Session) -> set[str]:
    return set(session.execute(select(CategorySetting.category).where(CategorySetting.mandatory.is_(True))).scalars())


def urgent(session: Session) -> set[str]:
    """Mandatory categories that skip quiet hours."""
    return set(session.execute(select(CategorySetting.category).where(
        CategorySetting.mandatory.is_(True), CategorySetting.urgent.is_(True))).scalars())


def categories(session: Session) -> list[dict]:
    """Every category, whether it is mandatory, and whether urgent."""
    must, now = mandatory(session), urgent(session)
    return [{"category": c, "mandatory": c in must, "urgent": c in now} for c in CATEGORIES]


def set_mandatory(ctx: Context, category: str, is_mandatory: bool, is_urgent: bool = False) -> dict:
    if category not in CATEGORIES:
        raise NotFound()
    if is_urgent and not is_mandatory:
        raise ValidationFailed(errors={"urgent": [URGENT_NEEDS_MANDATORY]})
    row = ctx.session.get(CategorySetting, category) or CategorySetting(category=category)
    row.mandatory, row.urgent, row.updated_at = is_mandatory, is_urgent, ctx.now()
    ctx.session.add(row)
    ctx.session.flush()
    return {"category": category, "mandatory": is_mandatory, "urgent": is_urgent}
