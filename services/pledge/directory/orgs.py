"""Org use cases: create one, list them, read one's subtree; a new org is published as ``DirectoryChanged``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.directory.domain.rules import may_hold, require_directory_admin
from services.pledge.directory.lookups import fetch, get_org, in_subtree
from services.pledge.directory.models import Org
from services.pledge.directory.records import org_record
from shared.context import Context
from shared.directory import path_ids
from shared.errors import Conflict, Forbidden, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.messages import DirectoryChanged
from shared.pagination import paginate
from shared.principal import Principal


def create_org(ctx: Context, principal: Principal, data: dict) -> Org:
    session = ctx.session
    parent = None
    if data.get("parent_id") is not None:
        parent = fetch(session, Org, data["parent_id"])
        if parent is None:
            raise ValidationFailed(errors=field_errors(parent_id=bilingual("上级组织不存在", "no such parent org")))
        require_directory_admin(principal, path_ids(parent.path))
        if not may_hold(parent.kind):
            raise ValidationFailed(errors=field_errors(parent_id=bilingual(
                "党支部下不能再设组织，上级组织须为党委或党总支",
                "a branch cannot hold an org: the parent must be a committee")))
    elif not (principal.is_admin or principal.is_system):
        raise Forbidden("org_forbidden")
    if session.execute(select(Org.id).where(Org.code == data["code"])).first():
        raise Conflict(errors=field_errors(code=bilingual("组织编码已存在", "this code is taken")))
    org = Org(**data)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    ctx.publish(DirectoryChanged(orgs=[org_record(org)]))
    return org


def list_orgs(session: Session, args: dict) -> dict:
    stmt = select(Org).order_by(Org.id)
    if "parent_id" in args:
        stmt = stmt.where(Org.parent_id == args["parent_id"])
    if "kind" in args:
        stmt = stmt.where(Org.kind == args["kind"])
    if args.get("q"):
        stmt = stmt.where(Org.name.contains(args["q"]))
    return paginate(session, stmt, args["page"], args["page_size"])


def org_tree(session: Session, org_id: int) -> dict:
    """The org and its whole subtree, nested: ``{id, name, kind, code, children: [...]}``."""
    root = get_org(session, org_id)
    rows = session.execute(
        select(Org.id, Org.name, Org.kind, Org.code, Org.parent_id).where(in_subtree(Org.path, root.path))
        .order_by(Org.id)
    ).all()
    nodes = {r.id: {"id": r.id, "name": r.name, "kind": r.kind, "code": r.code, "children": []} for r in rows}
    for r in rows:
        if r.id != root.id and r.parent_id in nodes:
            nodes[r.parent_id]["children"].append(nodes[r.id])
    return nodes[root.id]
