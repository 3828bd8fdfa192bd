"""承诺台账: the published pledges of an org and its subtree, with progress, completion and scores.

While a look-back revision is in review, the ledger keeps showing the published version.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.pledge.daily_work import board as daily_work
from services.pledge.directory.lookups import get_org, in_subtree
from services.pledge.directory.models import Org
from services.pledge.ledger.domain.board import MAX_ROWS, summary
from services.pledge.ledger.domain.labels import OUTCOME_LABELS, STATE_LABELS
from services.pledge.ledger.xlsx import ledger_workbook
from services.pledge.pledges.carriers import get_carrier
from services.pledge.pledges.domain import completion
from services.pledge.pledges.domain.categories import label
from services.pledge.pledges.models import Pledge, PledgeVersion
from shared.context import Context


def ledger_filter(org: Org, args: dict, today: date) -> Select:
    """The pledge ids on the ledger of ``org`` (no join: the count runs on the ledger index alone)."""
    stmt = select(Pledge.id).where(Pledge.on_ledger.is_(True), in_subtree(Pledge.org_path, org.path))
    if args.get("carrier_id") is not None:
        stmt = stmt.where(Pledge.carrier_id == args["carrier_id"])
    if args.get("due_from") is not None:
        stmt = stmt.where(Pledge.due_on >= args["due_from"])
    if args.get("due_to") is not None:
        stmt = stmt.where(Pledge.due_on <= args["due_to"])
    if args.get("overdue"):
        stmt = stmt.where(Pledge.state == "published", Pledge.due_on < today, Pledge.completion < 1.0)
    return stmt


def ledger_query(org: Org, args: dict, today: date) -> Select:
    return ledger_filter(org, args, today).with_only_columns(Pledge, Org.name.label("org_name")).join(
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
                     "completion": round(completion.target_completion(t["target"], values.get(t["name"])), 4)}
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


def ledger_page(session: Session, org_id: int, args: dict, today: date) -> dict[str, Any]:
    org = get_org(session, org_id)
    stmt = ledger_query(org, args, today)
    total = session.execute(select(func.count()).select_from(ledger_filter(org, args, today).subquery())).scalar_one()
    page, size = args["page"], args["page_size"]
    rows = session.execute(stmt.order_by(Pledge.due_on, Pledge.id).limit(size).offset((page - 1) * size)).all()
    return {"org_id": org.id, "org_name": org.name, "items": _views(session, rows, today),
            "total": total, "page": page, "page_size": size}


def ledger_rows(session: Session, org: Org, args: dict, today: date, batch: int = 1000) -> Iterator[dict]:
    """Every row of the ledger, in batches (for the spreadsheet and the board)."""
    last: tuple[date, int] | None = None
    base = ledger_query(org, args, today).order_by(Pledge.due_on, Pledge.id)
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
    """One page of the ledger, as of today."""
    return ledger_page(ctx.session, org_id, args, ctx.today())


def ledger_xlsx(ctx: Context, org_id: int, args: dict) -> tuple[str, bytes]:
    """The whole ledger as a spreadsheet for printing: (file name, content)."""
    today = ctx.today()
    org = get_org(ctx.session, org_id)
    rows = ledger_rows(ctx.session, org, args, today)
    body = ledger_workbook(org.name, period_label(ctx.session, args, today), rows, today,
                           daily_work.sheets(ctx.session, org, today))
    return f"{org.name}承诺台账-{today.isoformat()}.xlsx", body


def board(ctx: Context, org_id: int) -> dict[str, Any]:
    """What the board page shows: the org, the first rows of its ledger, the total, the summary figures."""
    today = ctx.today()
    org = get_org(ctx.session, org_id)
    rows = list(islice(ledger_rows(ctx.session, org, {}, today), MAX_ROWS))
    total = ledger_page(ctx.session, org_id, {"page": 1, "page_size": 1}, today)["total"]
    return {"org": org, "rows": rows, "total": total, "summary": summary(rows), "today": today,
            "daily": daily_work.sections(ctx.session, org, today)}
