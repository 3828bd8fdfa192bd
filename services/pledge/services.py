"""Use cases of the pledge service: one function per action; each owns its transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.extensions import service
from services.pledge.models import Org
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import Conflict, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.messages import DirectoryChanged, OrgRecord
from shared.pagination import paginate


def org_record(org: Org) -> OrgRecord:
    return OrgRecord(id=org.id, code=org.code, name=org.name, kind=org.kind, parent_id=org.parent_id,
                     path=org.path)


def get_org(session: Session, org_id: int) -> Org:
    org = session.get(Org, org_id)
    if org is None:
        raise NotFound()
    return org


def create_org(session: Session, principal: Principal, data: dict) -> Org:
    parent = None
    if data.get("parent_id") is not None:
        parent = session.get(Org, data["parent_id"])
        if parent is None:
            raise ValidationFailed(errors=field_errors(parent_id=bilingual("上级组织不存在", "no such parent org")))
        require_org(principal, path_ids(parent.path))
    elif not principal.is_admin:
        require_org(principal, [])
    if session.execute(select(Org.id).where(Org.code == data["code"])).first():
        raise Conflict(errors=field_errors(code=bilingual("组织编码已存在", "this code is taken")))
    org = Org(**data)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    service.publish(session, DirectoryChanged(orgs=[org_record(org)]))
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
