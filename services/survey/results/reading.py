"""Reading results: the list (with roll-up filters) and the org summaries, in the caller's scope."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import org_path
from services.survey.directory.models import directory
from services.survey.results.models import OrgSummary, Result
from services.survey.rounds.access import view_scope
from services.survey.rounds.models import Round, RoundTarget
from services.survey.rounds.reading import get_round
from shared import links
from shared.directory import path_ids
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import page_of
from shared.principal import Principal
from shared.settings import Settings


def _ready(round_: Round) -> Round:
    if round_.state != "results_ready":
        raise Conflict("results_not_ready", state=round_.state, errors={"state": [round_.state]})
    return round_


def readable_round(session: Session, principal: Principal, round_id: int) -> tuple[Round, str | None]:
    """The round if its results are ready, and the org path the caller may read (None: all)."""
    round_ = get_round(session, round_id)
    scope = view_scope(session, principal, round_)
    return _ready(round_), scope


def granted_round(session: Session, settings: Settings, round_id: int, grant: str | None) -> tuple[Round, str]:
    """The round and the org path a signed ``results`` grant opens (the link of a ``results`` notification).

    401 when the grant is missing, tampered with or expired (``token_expired``); 403 when it was issued for
    another round or names an org the directory no longer knows; 404/409 as for the API."""
    claims = links.verify(settings, "results", grant)
    links.require_claim(claims, "round", round_id)
    org = claims.get("org")
    path = org_path(session, org) if isinstance(org, int) and not isinstance(org, bool) else None
    if path is None:
        raise Forbidden("org_forbidden")
    return _ready(get_round(session, round_id)), path


def _filter_path(session: Session, scope: str | None, org_id: int | None) -> str | None:
    """The narrower of the caller's scope and the requested org's subtree."""
    if org_id is None:
        return scope
    path = org_path(session, org_id)
    if path is None:
        raise ValidationFailed(errors=field_errors(org_id=bilingual("组织不存在", "no such org")))
    if scope is not None and not path.startswith(scope):
        raise NotFound()
    return path


def _query(round_id: int, path: str | None, target_type: str | None) -> Select:
    stmt = (select(Result, RoundTarget).join(RoundTarget, RoundTarget.id == Result.target_ref)
            .where(Result.round_id == round_id)
            .order_by(RoundTarget.target_type, RoundTarget.org_path, Result.rank_in_org.is_(None),
                      Result.rank_in_org, RoundTarget.target_id))
    if path is not None:
        stmt = stmt.where(RoundTarget.org_path.startswith(path))
    if target_type:
        stmt = stmt.where(RoundTarget.target_type == target_type)
    return stmt


def item(result: Result, target: RoundTarget) -> dict:
    return {
        "target_type": target.target_type, "target_id": target.target_id, "name": target.name,
        "org_id": target.org_id, "n": result.n, "dimensions": result.dimensions or {}, "parts": result.parts,
        "score": None if result.score is None else round(result.score, 1), "grade": result.grade,
        "rank": result.rank_in_org, "rank_in_round": result.rank_in_round, "suppressed": result.suppressed,
        "suppression": result.suppression if result.suppressed else None,
    }


def list_results(session: Session, principal: Principal, round_id: int, args: dict) -> dict:
    round_, scope = readable_round(session, principal, round_id)
    path = _filter_path(session, scope, args.get("org_id"))
    stmt = _query(round_.id, path, args.get("target_type"))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page, size = args["page"], args["page_size"]
    rows = session.execute(stmt.limit(size).offset((page - 1) * size)).all()
    return page_of([item(r, t) for r, t in rows], total, page, size)


def all_results(session: Session, principal: Principal, round_id: int, args: dict) -> tuple[Round, list[dict]]:
    round_, scope = readable_round(session, principal, round_id)
    return round_, results_in(session, round_, scope, args)


def results_in(session: Session, round_: Round, scope: str | None, args: dict) -> list[dict]:
    """Every row of the round inside ``scope`` (an org path; None: all), narrowed by ``org_id``/``target_type``."""
    path = _filter_path(session, scope, args.get("org_id"))
    return [item(r, t) for r, t in session.execute(_query(round_.id, path, args.get("target_type")))]


def summaries(session: Session, principal: Principal, round_id: int, org_id: int | None = None) -> list[dict]:
    round_, scope = readable_round(session, principal, round_id)
    path = _filter_path(session, scope, org_id)
    stmt = select(OrgSummary).where(OrgSummary.round_id == round_.id).order_by(OrgSummary.org_path,
                                                                              OrgSummary.target_type)
    if path is not None:
        stmt = stmt.where(OrgSummary.org_path.startswith(path))
    return [{"org_id": s.org_id, "target_type": s.target_type, "targets": s.targets, "ratings": s.ratings,
             "score": None if s.score is None else round(s.score, 1), "suppressed": s.suppressed}
            for s in session.scalars(stmt)]


def scope_name(session: Session, scope: str | None) -> str | None:
    """The name of the org at the top of ``scope`` (None: the whole round)."""
    if not scope:
        return None
    o = directory.orgs
    return session.execute(select(o.c.name).where(o.c.id == path_ids(scope)[-1])).scalar()
