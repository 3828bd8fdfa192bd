"""Use cases of supervision (督诺): inspections and quarterly comments (每季点评).

Each function takes the session, the caller and, where the date matters, ``today``; the caller's
transaction commits. Demo sites live in ``supervision_sites``, contact points in ``supervision_contacts``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.pledge.pledges.models import Org, Person, Pledge
from services.pledge.supervision.access import (
    fetch,
    get_org,
    org_filter,
    org_for_field,
    person_for_field,
    read_scope,
    readable_org,
    requested_orgs,
)
from services.pledge.supervision.domain import rules
from services.pledge.supervision.models import Inspection, InspectionPledgeLink, QuarterlyComment
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import Conflict, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate

CAMPAIGN_TZ = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")


def today() -> date:
    """The date in Hangzhou, where the campaign runs."""
    return datetime.now(CAMPAIGN_TZ).date()


def actor(principal: Principal) -> str:
    """What ``created_by`` records: the token's subject, or its role for subject-less system tokens."""
    return principal.sub or ",".join(sorted(principal.roles))


def not_after_today(day: date, now: date, field: str) -> None:
    if day > now:
        raise ValidationFailed(errors=field_errors(**{field: bilingual("日期不能晚于今天", "cannot be in the future")}))


def insert_once(session: Session, row: T, conflict: Conflict) -> T:
    """Add ``row``; a unique-constraint violation becomes ``conflict`` (the transaction lives on)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise conflict from None
    return row


def administered_body_org(session: Session, principal: Principal, org_id: int) -> Org:
    """The org named in a body: 422 when unknown, 403 when the caller does not administer it."""
    org = org_for_field(session, org_id)
    require_org(principal, path_ids(org.path))
    return org


def scoped(session: Session, principal: Principal, stmt: Select, args: dict) -> Select:
    """Restrict a statement already joined to ``Org`` to what the caller may read and asked for."""
    return stmt.where(read_scope(session, principal).where(Org.id, Org.path),
                      requested_orgs(session, principal, args))


# ---- inspections ---------------------------------------------------------------------------
def _linked_pledges(session: Session, org: Org, pledge_ids: list[int]) -> list[int]:
    """The distinct pledge ids, each an existing pledge of the inspected org's subtree; else 422 per index."""
    wanted = sorted(set(pledge_ids))
    if not wanted:
        return []
    found = dict(session.execute(select(Pledge.id, Pledge.org_path).where(Pledge.id.in_(wanted))).all())
    message = bilingual("承诺不存在或不属于被检查组织", "unknown, or not a pledge of the inspected org")
    bad = {f"pledge_ids.{i}": [message] for i, pid in enumerate(pledge_ids)
           if pid not in found or not found[pid].startswith(org.path)}
    if bad:
        raise ValidationFailed(errors=bad)
    return wanted


def create_inspection(session: Session, principal: Principal, data: dict, now: date) -> Inspection:
    org = administered_body_org(session, principal, data["org_id"])
    person_for_field(session, data["inspector_id"], "inspector_id")
    not_after_today(data["visited_on"], now, "visited_on")
    pledge_ids = _linked_pledges(session, org, data.pop("pledge_ids", []))
    inspection = Inspection(**data, created_by=actor(principal))
    inspection.pledge_links = [InspectionPledgeLink(pledge_id=pid) for pid in pledge_ids]
    session.add(inspection)
    session.flush()
    return inspection


def get_inspection(session: Session, principal: Principal, inspection_id: int) -> Inspection:
    inspection = fetch(session, Inspection, inspection_id)
    if inspection is None:
        raise NotFound()
    readable_org(session, principal, inspection.org_id)
    return inspection


def list_inspections(session: Session, principal: Principal, args: dict) -> dict:
    stmt = scoped(session, principal, select(Inspection).join(Org, Org.id == Inspection.org_id), args)
    if args.get("kind"):
        stmt = stmt.where(Inspection.kind == args["kind"])
    if args.get("visited_from"):
        stmt = stmt.where(Inspection.visited_on >= args["visited_from"])
    if args.get("visited_to"):
        stmt = stmt.where(Inspection.visited_on <= args["visited_to"])
    if args.get("pledge_id") is not None:
        linked = select(InspectionPledgeLink.inspection_id).where(InspectionPledgeLink.pledge_id == args["pledge_id"])
        stmt = stmt.where(Inspection.id.in_(linked))
    stmt = stmt.order_by(Inspection.visited_on.desc(), Inspection.id.desc())
    return paginate(session, stmt, args["page"], args["page_size"])


# ---- quarterly comments --------------------------------------------------------------------
def create_comment(session: Session, principal: Principal, org_id: int, data: dict, now: date) -> QuarterlyComment:
    org = get_org(session, org_id)
    require_org(principal, path_ids(org.path))
    if rules.is_future_quarter(data["year"], data["quarter"], now):
        raise ValidationFailed(errors=field_errors(quarter=bilingual("该季度尚未开始", "this quarter has not begun")))
    if data.get("author_id") is None:
        data["author_id"] = _caller_as_person(session, principal)
    person_for_field(session, data["author_id"], "author_id")
    comment = QuarterlyComment(org_id=org.id, created_by=actor(principal), **data)
    return insert_once(session, comment, Conflict("comment_exists", year=data["year"], quarter=data["quarter"]))


def _caller_as_person(session: Session, principal: Principal) -> int | None:
    """The caller's person id when the token names an existing person, else ``None``."""
    pid = principal.person_id
    return pid if pid is not None and fetch(session, Person, pid) is not None else None


def list_comments(session: Session, principal: Principal, org_id: int, args: dict) -> dict:
    org = readable_org(session, principal, org_id)
    stmt = select(QuarterlyComment).join(Org, Org.id == QuarterlyComment.org_id)
    stmt = stmt.where(read_scope(session, principal).where(Org.id, Org.path))
    stmt = stmt.where(org_filter(org, bool(args.get("subtree"))))
    if args.get("year") is not None:
        stmt = stmt.where(QuarterlyComment.year == args["year"])
    if args.get("quarter") is not None:
        stmt = stmt.where(QuarterlyComment.quarter == args["quarter"])
    stmt = stmt.order_by(QuarterlyComment.year.desc(), QuarterlyComment.quarter.desc(), QuarterlyComment.org_id)
    return paginate(session, stmt, args["page"], args["page_size"])


def orgs_awaiting_comment(session: Session, principal: Principal, org_id: int, args: dict, now: date) -> dict:
    """The orgs below ``org_id`` with no comment for the quarter (by default the current one)."""
    org = readable_org(session, principal, org_id)
    year, quarter = rules.quarter_of(now)
    year, quarter = args.get("year") or year, args.get("quarter") or quarter
    commented = select(QuarterlyComment.org_id).where(QuarterlyComment.year == year,
                                                       QuarterlyComment.quarter == quarter)
    stmt = (select(Org).where(Org.path.startswith(org.path), Org.id != org.id, Org.id.not_in(commented),
                              read_scope(session, principal).where(Org.id, Org.path))
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

