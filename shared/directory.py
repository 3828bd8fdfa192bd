"""The directory projection that survey and notify keep from pledge's ``DirectoryChanged`` events.

Pledge owns orgs and people; the other services hold a read-only copy (``dir_orgs``,
``dir_people``) in their own database, upserted by :func:`apply` and rebuilt from a snapshot by
``xianfeng sync-directory``.  Subtrees use the materialised ``path`` ("/1/5/9/").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.messages import DirectoryChanged


@dataclass(frozen=True)
class DirectoryTables:
    orgs: Table
    people: Table


def define_tables(metadata: MetaData) -> DirectoryTables:
    orgs = Table(
        "dir_orgs", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("code", String(64), nullable=False),
        Column("name", String(200), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("parent_id", Integer, nullable=True, index=True),
        Column("path", String(512), nullable=False, index=True),
        Column("active", Boolean, nullable=False, default=True),
    )
    people = Table(
        "dir_people", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("employee_no", String(64), nullable=False),
        Column("name", String(100), nullable=False),
        Column("org_id", Integer, nullable=False, index=True),
        Column("org_path", String(512), nullable=False, index=True),
        Column("party_member", Boolean, nullable=False, default=False),
        Column("joined_party_on", Date, nullable=True),
        Column("roles", JSON, nullable=False, default=list),
        Column("email", String(200), nullable=True),
        Column("phone", String(32), nullable=True),
        Column("active", Boolean, nullable=False, default=True),
    )
    return DirectoryTables(orgs, people)


_UPSERTS: dict[tuple[str, Table], object] = {}


def _upsert_statement(dialect: str, table: Table):
    """``INSERT … ON CONFLICT (id) DO UPDATE`` every column, built once per dialect and table (the compiled
    form is then cached by the engine; executemany sends it batched: insertmanyvalues / sqlite3)."""
    key = (dialect, table)
    if key not in _UPSERTS:
        stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"}
        _UPSERTS[key] = stmt.on_conflict_do_update(index_elements=["id"], set_=cols)
    return _UPSERTS[key]


def _upsert(session: Session, table: Table, rows: list[dict]) -> None:
    if rows:
        session.execute(_upsert_statement(session.get_bind().dialect.name, table), rows)


def apply(session: Session, tables: DirectoryTables, event: DirectoryChanged) -> dict[str, int]:
    """Upsert the event's orgs and people; a snapshot deactivates whatever it does not mention."""
    org_rows = [
        {"id": o.id, "code": o.code, "name": o.name, "kind": o.kind, "parent_id": o.parent_id,
         "path": o.path, "active": o.active}
        for o in event.orgs
    ]
    _upsert(session, tables.orgs, org_rows)
    paths = {o.id: o.path for o in event.orgs}
    missing = {p.org_id for p in event.people} - set(paths)
    if missing:
        paths.update(dict(session.execute(
            select(tables.orgs.c.id, tables.orgs.c.path).where(tables.orgs.c.id.in_(missing))
        ).all()))
    people_rows = [
        {"id": p.id, "employee_no": p.employee_no, "name": p.name, "org_id": p.org_id,
         "org_path": paths.get(p.org_id, f"/{p.org_id}/"), "party_member": p.party_member,
         "joined_party_on": date.fromisoformat(p.joined_party_on) if p.joined_party_on else None,
         "roles": list(p.roles), "email": p.email, "phone": p.phone, "active": p.active}
        for p in event.people
    ]
    _upsert(session, tables.people, people_rows)
    if event.snapshot:
        if event.orgs:
            session.execute(update(tables.orgs).where(tables.orgs.c.id.not_in([o.id for o in event.orgs]))
                            .values(active=False))
        if event.people:
            session.execute(update(tables.people)
                            .where(tables.people.c.id.not_in([p.id for p in event.people]))
                            .values(active=False))
    return {"orgs": len(org_rows), "people": len(people_rows)}


def lineage(session: Session, tables: DirectoryTables, org_id: int) -> list[int]:
    """The org and its ancestors (for ``Principal.administers``); empty when unknown."""
    path = session.execute(select(tables.orgs.c.path).where(tables.orgs.c.id == org_id)).scalar()
    return path_ids(path) if path else []


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def subtree_people_query(tables: DirectoryTables, org_id: int, org_path: str, subtree: bool = True,
                         party_members_only: bool = False):
    p = tables.people
    stmt = select(p).where(p.c.active.is_(True))
    stmt = stmt.where(p.c.org_path.startswith(org_path)) if subtree else stmt.where(p.c.org_id == org_id)
    if party_members_only:
        stmt = stmt.where(p.c.party_member.is_(True))
    return stmt


def register_consumer(service, tables: DirectoryTables):
    """The ``<service>.directory_changed`` task: apply one event to this service's projection."""

    @service.celery.task(name=f"{service.name}.directory_changed", ignore_result=True)
    def directory_changed(message: dict) -> dict[str, int]:
        event = DirectoryChanged.from_payload(message)
        with service.db.session() as session:
            return apply(session, tables, event)

    return directory_changed


def counts(session: Session, tables: DirectoryTables) -> dict[str, int]:
    from sqlalchemy import func

    def n(table: Table) -> int:
        return session.execute(select(func.count()).select_from(table).where(table.c.active.is_(True))).scalar_one()

    return {"orgs": n(tables.orgs), "people": n(tables.people)}


def status_blueprint(tables: DirectoryTables):
    """``GET /api/v1/directory/status``: how much of the directory this service has received."""
    import marshmallow as ma

    from shared.web.blueprint import Blueprint

    class DirectoryStatusSchema(ma.Schema):
        orgs = ma.fields.Integer(required=True)
        people = ma.fields.Integer(required=True)

    blp = Blueprint("directory_status", __name__, url_prefix="/api/v1/directory",
                    description="目录副本 — this service's copy of the directory")

    @blp.route("/status")
    @blp.authorize("admin", "system")
    @blp.response(200, DirectoryStatusSchema)
    @blp.transaction(read_only=True)
    def status(*, principal, ctx):
        """Active orgs and people in this service's directory copy"""
        return counts(ctx.session, tables)

    return blp
