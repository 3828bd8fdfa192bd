"""Use cases of posts and badges (党员先锋岗, 挂牌上岗): held by a person of the org from a date, ended by a date."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain.service import active_on, ends_before_start
from services.pledge.daily_work.holders import person_of_org
from services.pledge.daily_work.models import Post
from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Org, Person
from services.pledge.supervision.access import administered_body_org, readable_org, scoped
from services.pledge.supervision.domain.rules import actor
from shared.context import Context
from shared.errors import NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.pagination import paginate
from shared.principal import Principal

UNTIL_BEFORE = ("结束日期不能早于开始日期", "cannot be before since")


def views(session: Session, post_list: list[Post], today) -> list[dict[str, Any]]:
    """Each post with its holder's name (one query for the lot) and whether it is on duty ``today``."""
    ids = {p.holder_id for p in post_list}
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()) if ids else {}
    return [{**{c.key: getattr(p, c.key) for c in Post.__table__.columns}, "holder_name": names.get(p.holder_id),
             "active": active_on(p.since, p.until, today)} for p in post_list]


def view(session: Session, post: Post, today) -> dict[str, Any]:
    return views(session, [post], today)[0]


def create_post(ctx: Context, principal: Principal, data: dict) -> dict[str, Any]:
    session = ctx.session
    org = administered_body_org(session, principal, data["org_id"])
    person_of_org(session, org, data["holder_id"], "holder_id")
    if ends_before_start(data["since"], data.get("until")):
        raise ValidationFailed(errors=field_errors(until=bilingual(*UNTIL_BEFORE)))
    post = Post(created_by=actor(principal), **data)
    session.add(post)
    session.flush()
    return view(session, post, ctx.today())


def _post(session: Session, principal: Principal, post_id: int) -> Post:
    post = fetch(session, Post, post_id)
    if post is None:
        raise NotFound()
    readable_org(session, principal, post.org_id)
    return post


def get_post(ctx: Context, principal: Principal, post_id: int) -> dict[str, Any]:
    return view(ctx.session, _post(ctx.session, principal, post_id), ctx.today())


def end_post(ctx: Context, principal: Principal, post_id: int, data: dict) -> dict[str, Any]:
    post = _post(ctx.session, principal, post_id)
    administered_body_org(ctx.session, principal, post.org_id)
    if ends_before_start(post.since, data["until"]):
        raise ValidationFailed(errors=field_errors(until=bilingual(*UNTIL_BEFORE)))
    post.until = data["until"]
    ctx.session.flush()
    return view(ctx.session, post, ctx.today())


def list_posts(ctx: Context, principal: Principal, args: dict) -> dict[str, Any]:
    session, today = ctx.session, ctx.today()
    stmt = scoped(session, principal, select(Post).join(Org, Org.id == Post.org_id), args)
    for name in ("kind", "holder_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Post, name) == args[name])
    on_duty = (Post.since <= today) & or_(Post.until.is_(None), Post.until >= today)
    if args.get("active") is not None:
        stmt = stmt.where(on_duty if args["active"] else ~on_duty)
    page = paginate(session, stmt.order_by(Post.since.desc(), Post.id.desc()), args["page"], args["page_size"])
    return {**page, "items": views(session, page["items"], today)}
