"""What the board (``/board/{org}``) and the ledger spreadsheet show of daily work in an org's subtree: its
zones with days without incident, the posts and badges on duty today, the year's volunteer hours.
Published like the ledger: no caller scope (the page is the intranet's wall)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.pledge.daily_work import photos, posts, volunteering, zones
from services.pledge.daily_work.models import Post, VolunteerActivity, Zone
from services.pledge.directory.models import Org, Person

MAX_ITEMS = 200  # per section on the page; the spreadsheet takes them all


def _in(org: Org, model) -> Any:
    return select(model, Org.name.label("org_name")).join(Org, Org.id == model.org_id).where(
        Org.path.startswith(org.path))


def zone_rows(session: Session, org: Org, today: date, limit: int | None = MAX_ITEMS) -> list[dict]:
    rows = session.execute(_in(org, Zone).order_by(Zone.org_id, Zone.id).limit(limit)).all()
    ids = {pid for r in rows for pid in r.Zone.holder_ids}
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()) if ids else {}
    shown = zones.views(session, [r.Zone for r in rows], today)
    return [{**view, "org_name": r.org_name, "holder_names": [names.get(pid, pid) for pid in r.Zone.holder_ids]}
            for view, r in zip(shown, rows, strict=True)]


def post_rows(session: Session, org: Org, today: date, limit: int | None = MAX_ITEMS) -> list[dict]:
    on_duty = (Post.since <= today) & or_(Post.until.is_(None), Post.until >= today)
    rows = session.execute(_in(org, Post).where(on_duty).order_by(Post.kind, Post.org_id, Post.id).limit(limit)).all()
    return [{**view, "org_name": r.org_name} for view, r in zip(posts.views(session, [r.Post for r in rows], today),
                                                                  rows, strict=True)]


def volunteer_year(session: Session, org: Org, year: int) -> dict[str, Any]:
    stmt = select(VolunteerActivity).join(Org, Org.id == VolunteerActivity.org_id).where(
        Org.path.startswith(org.path), volunteering.in_year(year))
    return {"year": year, **volunteering.totals(session, stmt, None)}


def volunteer_rows(session: Session, org: Org, year: int) -> list[dict]:
    stmt = _in(org, VolunteerActivity).where(volunteering.in_year(year))
    rows = session.execute(stmt.order_by(VolunteerActivity.on, VolunteerActivity.id)).all()
    return [{**volunteering.view(r.VolunteerActivity), "org_name": r.org_name} for r in rows]


def sections(session: Session, org: Org, today: date) -> dict[str, Any]:
    """The board's daily-work sections, with whose photos it shows (照片上墙)."""
    zone_list, post_list = zone_rows(session, org, today), post_rows(session, org, today)
    shown = {pid for z in zone_list for pid in z["holder_ids"]} | {p["holder_id"] for p in post_list}
    return {"zones": zone_list, "posts": post_list, "volunteer": volunteer_year(session, org, today.year),
            "photos": photos.with_photos(session, shown)}


def photo(session: Session, org: Org, today: date, person_id: int) -> bytes:
    """A photo of someone the org's board shows; 404 for anyone else."""
    shown = sections(session, org, today)
    return photos.board_photo(session, shown["photos"], person_id)


def sheets(session: Session, org: Org, today: date) -> dict[str, Any]:
    """Everything the ledger spreadsheet's daily-work sheets list."""
    return {"zones": zone_rows(session, org, today, None), "posts": post_rows(session, org, today, None),
            "volunteer": volunteer_year(session, org, today.year),
            "activities": volunteer_rows(session, org, today.year)}
