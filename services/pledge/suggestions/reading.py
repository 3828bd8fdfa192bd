"""Reading suggestions: a list over an org (and its subtree) by state, one by id, each with the pledges that
answer it; the author only of a signed one."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, select, true
from sqlalchemy.orm import Session

from services.pledge.suggestions.access import readable_org, reader_path
from services.pledge.suggestions.domain.rules import author_shown, covers, is_author
from services.pledge.suggestions.models import Suggestion, SuggestionAnswer
from shared.errors import Forbidden, NotFound
from shared.pagination import paginate
from shared.principal import Principal

FIELDS = ("id", "org_id", "content", "anonymous", "submitted_on", "state", "reply", "reason", "answered_by",
          "answered_at")


def view(suggestion: Suggestion, pledge_ids: list[int]) -> dict[str, Any]:
    out = {f: getattr(suggestion, f) for f in FIELDS}
    out["author_id"] = author_shown(suggestion.anonymous, suggestion.author_id)
    out["pledge_ids"] = sorted(pledge_ids)
    return out


def answering_pledges(session: Session, ids: list[str]) -> dict[str, list[int]]:
    """The pledges citing each suggestion, by suggestion id (one query)."""
    found: dict[str, list[int]] = defaultdict(list)
    if ids:
        rows = session.execute(select(SuggestionAnswer.suggestion_id, SuggestionAnswer.pledge_id)
                               .where(SuggestionAnswer.suggestion_id.in_(ids)))
        for sid, pid in rows:
            found[sid].append(pid)
    return found


def load(session: Session, principal: Principal, suggestion_id: str) -> Suggestion:
    """404 unknown, 403 outside what the caller reads (to read and answer)."""
    suggestion = session.get(Suggestion, suggestion_id) if len(suggestion_id) == 32 else None
    if suggestion is None:
        raise NotFound()
    if not covers(reader_path(session, principal), suggestion.org_path):
        raise Forbidden("org_forbidden")
    return suggestion


def _own(session: Session, principal: Principal, suggestion_id: str) -> Suggestion | None:
    """The caller's own signed suggestion (an anonymous one is nobody's)."""
    suggestion = session.get(Suggestion, suggestion_id) if len(suggestion_id) == 32 else None
    if suggestion is not None and principal.person_id is not None and is_author(principal.person_id, suggestion):
        return suggestion
    return None


def get_suggestion(session: Session, principal: Principal, suggestion_id: str) -> dict[str, Any]:
    suggestion = _own(session, principal, suggestion_id) or load(session, principal, suggestion_id)
    return view(suggestion, answering_pledges(session, [suggestion.id])[suggestion.id])


def _base(session: Session, principal: Principal, args: dict) -> Select:
    if args.get("mine"):  # a member's own signed suggestions, with their answers
        if principal.person_id is None:
            raise Forbidden()
        return select(Suggestion).where(Suggestion.author_id == principal.person_id,
                                        Suggestion.anonymous.is_(False))
    path = reader_path(session, principal)
    return select(Suggestion).where(Suggestion.org_path.startswith(path) if path else true())


def list_suggestions(session: Session, principal: Principal, args: dict) -> dict[str, Any]:
    """``?org_id=&subtree=1&state=`` within what the caller reads (``?mine=1``: the caller's own signed ones);
    newest day first."""
    stmt = _base(session, principal, args)
    if args.get("org_id") is not None:
        org = readable_org(session, principal, args["org_id"])
        stmt = stmt.where(Suggestion.org_path.startswith(org.path) if args.get("subtree")
                          else Suggestion.org_id == org.id)
    if args.get("state"):
        stmt = stmt.where(Suggestion.state == args["state"])
    page = paginate(session, stmt.order_by(Suggestion.submitted_on.desc(), Suggestion.id), args["page"],
                    args["page_size"])
    cited = answering_pledges(session, [s.id for s in page["items"]])
    return {**page, "items": [view(s, cited[s.id]) for s in page["items"]]}
