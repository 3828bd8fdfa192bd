"""承诺台账: the published pledges of an org and its subtree, with progress, completion and scores.

While a look-back revision is in review, the ledger keeps showing the published version. Each publishing
channel is its own list: ``intranet`` the ledger API, ``board`` the /board page, ``meeting`` the 承诺大会 list.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from services.pledge.daily_work import board as daily_work
from services.pledge.directory.lookups import get_org, in_subtree
from services.pledge.directory.models import Org
from services.pledge.ledger.domain.board import CARDS_PER_PAGE, page_count
from services.pledge.ledger.domain.labels import OUTCOME_LABELS, STATE_LABELS
from services.pledge.ledger.xlsx import ledger_workbook
from services.pledge.pledges.carriers import get_carrier
from services.pledge.pledges.domain import completion
from services.pledge.pledges.domain.categories import label
from services.pledge.pledges.models import Pledge, PledgeVersion
from shared.context import Context

CHANNEL_COLUMNS = {"board": Pledge.on_board, "meeting": Pledge.on_meeting, "intranet": Pledge.on_intranet}


def _overdue(today: date) -> ColumnElement[bool]:
    return (Pledge.state == "published") & (Pledge.due_on < today) & (Pledge.completion < 1.0)


def state_filter(state: str, today: date) -> ColumnElement[bool]:
    """A board/ledger filter by state (the keys of ``domain.board.STATE_FILTERS``)."""
    return {"published": Pledge.state == "published", "closed": Pledge.state == "closed",
            "revising": Pledge.state.in_(("submitted", "approved", "returned")),
            "overdue": _overdue(today), "exemplar": Pledge.exemplar.is_(True)}[state]


def ledger_filter(org: Org, args: dict, today: date, channel: str = "intranet") -> Select:
    """The pledge ids on ``channel``'s list of ``org`` (no join: the count runs on the channel's index alone; a
    channel's flag implies ``on_ledger``)."""
    stmt = select(Pledge.id).where(CHANNEL_COLUMNS[channel].is_(True), in_subtree(Pledge.org_path, org.path))
    if args.get("carrier_id") is not None:
        stmt = stmt.where(Pledge.carrier_id == args["carrier_id"])
    if args.get("due_from") is not None:
        stmt = stmt.where(Pledge.due_on >= args["due_from"])
    if args.get("due_to") is not None:
        stmt = stmt.where(Pledge.due_on <= args["due_to"])
    if args.get("overdue"):
        stmt = stmt.where(_overdue(today))
    if args.get("state"):
        stmt = stmt.where(state_filter(args["state"], today))
    return stmt


def ledger_query(org: Org, args: dict, today: date, channel: str = "intranet") -> Select:
    return ledger_filter(org, args, today, channel).with_only_columns(Pledge, Org.name.label("org_name")).join(
        Org, Org.id == Pledge.org_id)


def _published_data(session: Session, pledges: list[Pledge]) -> dict[int, dict]:
    """The published version of pledges under revision (their working copy is not public yet)."""
    revising = [(p.id, p.published_version) for p in pledges if p.published_version not in (None, p.version)]
    if not revising:
        return {}
    rows = session.execute(select(PledgeVersion.pledge_id, PledgeVersion.version, PledgeVersion.data).where(
        PledgeVersion.pledge_id.in_([i for i, _ in revising])))
    wanted = set(revising)
    return {r.pledge_id: r.data for r in rows if (r.pledge_id, r.version) in wanted}


def row_view(pledge: Pledge, org_name: str, published: dict | None, today: date) -> dict[str, Any]:
    title = published["title"] if published else pledge.title
    targets = published["targets"] if published else pledge.targets
    due_on = date.fromisoformat(published["due_on"]) if published else pledge.due_on
    category = published["category"] if published else pledge.category
    values = pledge.latest_values or {}
    done = completion.overall(targets, values)
    return {
        "pledge_id": pledge.id, "pledger_type": pledge.pledger_type, "pledger_id": pledge.pledger_id,
        "pledger_name": pledge.pledger_name, "org_id": pledge.org_id, "org_name": org_name,
        "category": category, "category_label": label(category), "title": title,
        "version": pledge.published_version or pledge.version, "revising": published is not None,
        "targets": [{**t, "due_on": date.fromisoformat(t["due_on"]) if t.get("due_on") else None,
                     "value": values.get(t["name"]),
                     "direction": t.get("direction") or "at_least", "completion": round(completion.of(t, values), 4)}
                    for t in targets],
        "latest_note": pledge.latest_note, "latest_progress_at": pledge.latest_progress_at,
        "completion": done, "due_on": due_on, "overdue": completion.is_overdue(due_on, pledge.state, done, today),
        "state": pledge.state, "state_label": STATE_LABELS.get(pledge.state, pledge.state),
        "outcome": pledge.outcome, "outcome_label": OUTCOME_LABELS.get(pledge.outcome or ""),
        "exemplar": pledge.exemplar, "evaluation_score": pledge.evaluation_score,
        "evaluation_grade": pledge.evaluation_grade, "channels": pledge.channels,
    }


def _views(session: Session, rows: list, today: date) -> list[dict]:
    published = _published_data(session, [r.Pledge for r in rows])
    return [row_view(r.Pledge, r.org_name, published.get(r.Pledge.id), today) for r in rows]


def _count(session: Session, stmt: Select) -> int:
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def ledger_page(session: Session, org_id: int, args: dict, today: date, channel: str = "intranet") -> dict[str, Any]:
    org = get_org(session, org_id)
    stmt = ledger_query(org, args, today, channel)
    total = _count(session, ledger_filter(org, args, today, channel))
    page, size = args["page"], args["page_size"]
    rows = session.execute(stmt.order_by(Pledge.due_on, Pledge.id).limit(size).offset((page - 1) * size)).all()
    return {"org_id": org.id, "org_name": org.name, "items": _views(session, rows, today),
            "total": total, "page": page, "page_size": size}


def ledger_rows(session: Session, org: Org, args: dict, today: date, batch: int = 1000,
                channel: str = "intranet") -> Iterator[dict]:
    """Every row of ``channel``'s list, in batches (for the spreadsheets)."""
    last: tuple[date, int] | None = None
    base = ledger_query(org, args, today, channel).order_by(Pledge.due_on, Pledge.id)
    while True:
        stmt = base if last is None else base.where(
            (Pledge.due_on > last[0]) | ((Pledge.due_on == last[0]) & (Pledge.id > last[1])))
        rows = session.execute(stmt.limit(batch)).all()
        if not rows:
            return
        yield from _views(session, rows, today)
        last = (rows[-1].Pledge.due_on, rows[-1].Pledge.id)


def period_label(session: Session, args: dict, today: date) -> str:
    if args.get("carrier_id") is not None:
        carrier = get_carrier(session, args["carrier_id"])
        return f"{carrier.title}（{carrier.period_start.isoformat()} 至 {carrier.period_end.isoformat()}）"
    if args.get("due_from") or args.get("due_to"):
        start = args["due_from"].isoformat() if args.get("due_from") else "…"
        end = args["due_to"].isoformat() if args.get("due_to") else "…"
        return f"到期 {start} 至 {end}"
    return f"截至 {today.isoformat()}"


def ledger(ctx: Context, org_id: int, args: dict) -> dict[str, Any]:
    """One page of the ledger (pledges published to ``intranet``), as of today."""
    return ledger_page(ctx.session, org_id, args, ctx.today())


def ledger_xlsx(ctx: Context, org_id: int, args: dict, channel: str = "intranet") -> tuple[str, bytes]:
    """The whole ledger (or the meeting list) as a spreadsheet for printing: (file name, content)."""
    today = ctx.today()
    org = get_org(ctx.session, org_id)
    rows = ledger_rows(ctx.session, org, args, today, channel=channel)
    title = "承诺大会承诺清单" if channel == "meeting" else "承诺台账"
    daily = None if channel == "meeting" else daily_work.sheets(ctx.session, org, today)  # the meeting list: pledges
    body = ledger_workbook(org.name, period_label(ctx.session, args, today), rows, today, daily, title=title)
    return f"{org.name}{title}-{today.isoformat()}.xlsx", body


def meeting_list(ctx: Context, org_id: int, args: dict) -> dict[str, Any]:
    """One page of the 承诺大会 list: the pledges published to ``meeting``."""
    return ledger_page(ctx.session, org_id, args, ctx.today(), channel="meeting")


def board_summary(session: Session, org: Org, args: dict, today: date) -> dict[str, int]:
    """The board's figures over every pledge it shows (not only the page): one aggregate query."""
    ids = ledger_filter(org, args, today, "board").subquery()
    row = session.execute(select(
        func.count(), func.coalesce(func.avg(Pledge.completion), 0.0),
        func.coalesce(func.sum(case((_overdue(today), 1), else_=0)), 0),
        func.coalesce(func.sum(case((Pledge.exemplar.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(case((Pledge.state == "closed", 1), else_=0)), 0),
    ).select_from(Pledge).join(ids, ids.c.id == Pledge.id)).one()
    return {"count": row[0], "completion": round(100 * float(row[1])), "overdue": int(row[2]),
            "exemplars": int(row[3]), "closed": int(row[4])}


def board(ctx: Context, org_id: int, page: int = 1, state: str | None = None) -> dict[str, Any]:
    """What the board page shows: the org, one page of its cards (``state``-filtered), the figures."""
    today = ctx.today()
    org = get_org(ctx.session, org_id)
    args = {"state": state} if state else {}
    found = ledger_page(ctx.session, org_id, {**args, "page": max(1, page), "page_size": CARDS_PER_PAGE}, today,
                        channel="board")
    return {"org": org, "rows": found["items"], "total": found["total"], "page": found["page"],
            "pages": page_count(found["total"], CARDS_PER_PAGE), "state": state,
            "summary": board_summary(ctx.session, org, {}, today), "today": today,
            "daily": daily_work.sections(ctx.session, org, today)}
