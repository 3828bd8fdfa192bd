"""Quarterly comments (每季点评) on an org's campaign work and pledge fulfilment: one per org per quarter."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.lookups import fetch, get_org
from services.pledge.directory.models import Org, Person
from services.pledge.supervision import rows
from services.pledge.supervision.access import org_filter, readable, readable_org
from services.pledge.supervision.domain import rules
from services.pledge.supervision.models import QuarterlyComment
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Conflict, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal, require_org


def create_comment(ctx: Context, principal: Principal, org_id: int, data: dict) -> QuarterlyComment:
    session = ctx.session
    org = get_org(session, org_id)
    require_org(principal, path_ids(org.path))
    if rules.is_future_quarter(data["year"], data["quarter"], ctx.today()):
        raise ValidationFailed(errors=field_errors(quarter=bilingual("该季度尚未开始", "this quarter has not begun")))
    if data.get("author_id") is None:
        data["author_id"] = _caller_as_person(session, principal)
    rows.person_for_field(session, data["author_id"], "author_id")
    comment = QuarterlyComment(org_id=org.id, created_by=rules.actor(principal), **data)
    return rows.insert_once(session, comment, Conflict("comment_exists", year=data["year"], quarter=data["quarter"]))


def _caller_as_person(session: Session, principal: Principal) -> int | None:
    """The caller's person id when the token names an existing person, else ``None``."""
    pid = principal.person_id
    return pid if pid is not None and fetch(session, Person, pid) is not None else None


def list_comments(session: Session, principal: Principal, org_id: int, args: dict) -> dict:
    org = readable_org(session, principal, org_id)
    stmt = select(QuarterlyComment).join(Org, Org.id == QuarterlyComment.org_id)
    stmt = stmt.where(readable(session, principal))
    stmt = stmt.where(org_filter(org, bool(args.get("subtree"))))
    if args.get("year") is not None:
        stmt = stmt.where(QuarterlyComment.year == args["year"])
    if args.get("quarter") is not None:
        stmt = stmt.where(QuarterlyComment.quarter == args["quarter"])
    stmt = stmt.order_by(QuarterlyComment.year.desc(), QuarterlyComment.quarter.desc(), QuarterlyComment.org_id)
    return paginate(session, stmt, args["page"], args["page_size"])


def orgs_awaiting_comment(ctx: Context, principal: Principal, org_id: int, args: dict) -> dict:
    """The orgs below ``org_id`` with no comment for the quarter (by default the current one)."""
    session = ctx.session
    org = readable_org(session, principal, org_id)
    year, quarter = rules.quarter_of(ctx.today())
    year, quarter = args.get("year") or year, args.get("quarter") or quarter
    commented = select(QuarterlyComment.org_id).where(QuarterlyComment.year == year,
                                                       QuarterlyComment.quarter == quarter)
    stmt = (select(Org).where(Org.path.startswith(org.path), Org.id != org.id, Org.id.not_in(commented),
                              readable(session, principal))
            .order_by(Org.path))
    if args.get("kind"):
        stmt = stmt.where(Org.kind == args["kind"])
    return paginate(session, stmt, args["page"], args["page_size"])


def get_comment(session: Session, principal: Principal, org_id: int, comment_id: int) -> QuarterlyComment:
    comment = fetch(session, QuarterlyComment, comment_id)
    if comment is None or comment.org_id != org_id:
        raise NotFound()
    readable_org(session, principal, org_id)
    return comment
