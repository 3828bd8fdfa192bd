"""Answering suggestions: a secretary's reply or refusal (with its reason), and the pledges that cite them
(``suggestion_ids`` on a pledge's POST/PATCH/revise)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.pledge.suggestions.domain.rules import LIFECYCLE, cited_fits
from services.pledge.suggestions.models import Suggestion, SuggestionAnswer
from services.pledge.suggestions.reading import answering_pledges, load, view
from shared.context import Context
from shared.errors import ValidationFailed
from shared.i18n import bilingual
from shared.principal import Principal


def answer(ctx: Context, principal: Principal, suggestion_id: str, data: dict) -> dict[str, Any]:
    """``answer`` with a reply, or ``decline`` with a reason; 409 from a state that does not allow it."""
    suggestion = load(ctx.session, principal, suggestion_id)
    suggestion.state = LIFECYCLE.transition(suggestion.state, data["decision"])
    if data["decision"] == "answer":
        suggestion.reply, suggestion.reason = data.get("reply"), None
    else:
        suggestion.reason = data["reason"]
    suggestion.answered_by = principal.sub or ",".join(sorted(principal.roles))
    suggestion.answered_at = ctx.now()
    ctx.session.flush()
    return view(suggestion, answering_pledges(ctx.session, [suggestion.id])[suggestion.id])


def cite(session: Session, pledge_id: int, pledge_path: str, suggestion_ids: list[str]) -> None:
    """The pledge answers exactly these suggestions (replacing what it cited); each must exist, belong to the
    pledge's org line and not be declined (else 422 on ``suggestion_ids.<i>``); an open one becomes answered."""
    wanted = list(dict.fromkeys(suggestion_ids))
    found = {s.id: s for s in session.scalars(select(Suggestion).where(Suggestion.id.in_(wanted)))} if wanted else {}
    bad: dict[str, list[str]] = {}
    for i, sid in enumerate(suggestion_ids):
        suggestion = found.get(sid)
        if suggestion is None or not cited_fits(pledge_path, suggestion.org_path):
            bad[f"suggestion_ids.{i}"] = [bilingual("意见不存在或不属于本组织",
                                                    "unknown, or not a suggestion of this org")]
        elif not LIFECYCLE.can(suggestion.state, "cite"):
            bad[f"suggestion_ids.{i}"] = [bilingual("该意见已被不予采纳", "this suggestion was declined")]
    if bad:
        raise ValidationFailed(errors=bad)
    session.execute(delete(SuggestionAnswer).where(SuggestionAnswer.pledge_id == pledge_id))
    for sid in wanted:
        found[sid].state = LIFECYCLE.transition(found[sid].state, "cite")
        session.add(SuggestionAnswer(suggestion_id=sid, pledge_id=pledge_id))
    session.flush()


def cited_by(session: Session, pledge_id: int) -> list[str]:
    """The suggestions a pledge answers."""
    ids = select(SuggestionAnswer.suggestion_id).where(SuggestionAnswer.pledge_id == pledge_id)
    return sorted(session.scalars(ids))
