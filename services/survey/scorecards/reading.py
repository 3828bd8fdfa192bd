"""Reading scorecards: a year's list in the caller's scope, filtered by org subtree and kind."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import org_path
from services.survey.scorecards.configuring import check_year
from services.survey.scorecards.domain.composition import PARTS, display, from_text
from services.survey.scorecards.models import Scorecard
from shared.directory import path_ids
from shared.errors import Forbidden, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import page_of
from shared.principal import Principal


def _scope(session: Session, principal: Principal) -> str | None:
    """The org path the caller may read (``None``: all): admins and other group systems everything, an
    org admin their org's subtree."""
    if principal.is_admin or principal.is_system:
        return None
    own = org_path(session, principal.org) if principal.org is not None else None
    if own is None:
        raise Forbidden("org_forbidden")
    return own


def query(session: Session, principal: Principal, args: dict, year: int) -> Select:
    check_year(year)
    scope = _scope(session, principal)
    stmt = select(Scorecard).where(Scorecard.year == year)
    if args.get("org_id") is not None:
        path = org_path(session, args["org_id"])
        if path is None:
            raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
        if scope is not None and not principal.administers(path_ids(path)):
            raise Forbidden("org_forbidden")
        own = Scorecard.org_path.startswith(path) if args["subtree"] else Scorecard.org_id == args["org_id"]
        stmt = stmt.where(own)
    elif scope is not None:
        stmt = stmt.where(Scorecard.org_path.startswith(scope))
    if args.get("kind"):
        stmt = stmt.where(Scorecard.kind == args["kind"])
    return stmt.order_by(Scorecard.kind, Scorecard.rank.is_(None), Scorecard.rank, Scorecard.org_path)


def item(card: Scorecard) -> dict:
    return {"org_id": card.org_id, "name": card.name, "kind": card.kind, "year": card.year,
            "parts": {p: display(from_text(card.parts.get(p))) for p in PARTS},
            "score": display(from_text(card.score)), "grade": card.grade, "rank": card.rank,
            "rank_in_parent": card.rank_in_parent, "computed_at": card.computed_at}


def list_scorecards(session: Session, principal: Principal, args: dict, year: int) -> dict:
    stmt = query(session, principal, args, year)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page, size = args["page"], args["page_size"]
    rows = session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    return page_of([item(c) for c in rows], total, page, size)


def all_scorecards(session: Session, principal: Principal, args: dict, year: int) -> list[dict]:
    return [item(c) for c in session.scalars(query(session, principal, args, year))]
