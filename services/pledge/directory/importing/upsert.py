"""Bulk upserts of orgs and people by ``code`` / ``employee_no`` (the import and the demo seed use them).

People go in chunks with one multi-row ``INSERT … ON CONFLICT DO UPDATE``; each chunk publishes one
``DirectoryChanged`` in the same transaction.  A chunk the database refuses is retried row by row so
one bad row never takes the good ones with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, func, insert, literal, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.pledge.directory.domain.rules import may_hold
from services.pledge.directory.importing.domain.rows import clean_org, clean_person, in_scope, row_message
from services.pledge.directory.lookups import in_subtree
from services.pledge.directory.models import Org, Person, copies_of_org_path
from services.pledge.directory.records import org_record, person_record
from shared import db
from shared.context import Context
from shared.db import utcnow
from shared.messages import DirectoryChanged, OrgRecord, PeopleChanged

ORGS_PER_MESSAGE = 1000  # a national tree goes out as many DirectoryChanged messages of bounded size
PERSON_COLUMNS = ("employee_no", "name", "org_id", "org_path", "party_member", "joined_party_on", "roles", "email",
                  "phone", "active", "updated_at")


@dataclass
class RowError:
    row: int
    field: str | None
    message: str
    sheet: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "sheet": self.sheet, "field": self.field, "message": self.message}


@dataclass
class Outcome:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    written: int = 0


@dataclass
class OrgIndex:
    """code → (id, path) and code → kind of every org, kept current while an import runs."""

    by_code: dict[str, tuple[int, str]]
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> OrgIndex:
        rows = session.execute(select(Org.code, Org.id, Org.path, Org.kind)).all()
        return cls({r.code: (r.id, r.path) for r in rows}, {r.code: r.kind for r in rows})

    def refuses_parent(self, row: dict, lang: str) -> tuple[str, str] | None:
        """A row whose parent is a branch: refused like ``POST /orgs`` refuses it (``may_hold``)."""
        parent_kind = self.kinds.get(row["parent_code"]) if row["parent_code"] else None
        if may_hold(parent_kind):
            return None
        return "parent_code", row_message("branch_parent", lang, code=row["parent_code"])


def _accept(out: Outcome, sheet: str, number: int, row: dict, errors: dict[str, str], key: str,
            seen: dict[str, int], lang: str) -> bool:
    """Record a row's errors (a key seen earlier in the file is one); True when the row may be written."""
    if not errors and row[key] in seen:
        errors[key] = row_message("duplicate", lang, row=seen[row[key]])
    if errors:
        out.errors += [RowError(number, f, m, sheet) for f, m in errors.items()]
        return False
    seen[row[key]] = number
    return True


# ---- orgs ------------------------------------------------------------------------------------

def upsert_orgs(ctx: Context, rows: list[tuple[int, dict]], index: OrgIndex, lang: str,
                scope: str | None = None) -> Outcome:
    """Orgs of a file, parents before children whatever the file's order."""
    out = Outcome()
    pending: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        row, errors = clean_org(raw, lang)
        if _accept(out, "orgs", number, row, errors, "code", seen, lang):
            pending.append((number, row))
    changed: list[int] = []  # ids of the orgs written, parents before children
    while pending:
        ready = [(n, r) for n, r in pending if not r["parent_code"] or r["parent_code"] in index.by_code]
        if not ready:
            break
        new = [(n, r) for n, r in ready if r["code"] not in index.by_code]
        for number, row in ready:
            if row["code"] in index.by_code:
                _count(out, number, _write_org(ctx, row, index, lang, scope, changed), created=False)
        # the level's new orgs together: one multi-row INSERT and one UPDATE of their paths (a national tree
        # is 10^5 of them; one flush each took minutes)
        for (number, _), error in zip(new, _insert_orgs(ctx.session, new, index, lang, scope, changed), strict=True):
            _count(out, number, error, created=True)
        done = {n for n, _ in ready}  # row numbers are unique: a set keeps a 10^5-org tree linear
        pending = [(n, r) for n, r in pending if n not in done]
    for number, row in pending:
        key = "cycle" if row["parent_code"] in seen else "unknown_parent"
        out.errors.append(RowError(number, "parent_code", row_message(key, lang, code=row["parent_code"]), "orgs"))
    for start in range(0, len(changed), ORGS_PER_MESSAGE):  # parents before children, each record with its path
        ctx.publish(DirectoryChanged(orgs=_records(ctx.session, changed[start:start + ORGS_PER_MESSAGE])))
    return out


def _count(out: Outcome, number: int, error: tuple[str, str] | None, created: bool) -> None:
    if error:
        out.errors.append(RowError(number, error[0], error[1], "orgs"))
    else:
        out.written += 1
        out.created += int(created)


def _records(session: Session, ids: list[int]) -> list:
    """The orgs as they are now (a later row may have moved an ancestor), in the order given."""
    org = Org.__table__
    found = {r.id: r for r in session.execute(select(org.c.id, org.c.code, org.c.name, org.c.kind, org.c.parent_id,
                                                     org.c.path).where(org.c.id.in_(ids)))}
    return [OrgRecord(r.id, r.code, r.name, r.kind, r.parent_id, r.path) for r in (found[i] for i in ids)]


def _insert_orgs(session: Session, new: list[tuple[int, dict]], index: OrgIndex, lang: str, scope: str | None,
                 changed: list[int]) -> list[tuple[str, str] | None]:
    """Orgs whose codes are new and whose parents exist: inserted, their paths set; an error (or None) per row."""
    errors: list[tuple[str, str] | None] = []
    values, parent_paths = [], []
    now = utcnow()
    for _, row in new:
        parent_id, parent_path = index.by_code[row["parent_code"]] if row["parent_code"] else (None, "/")
        if (parent_id is None and scope is not None) or not in_scope(parent_path, scope):
            errors.append(("parent_code", row_message("not_in_scope", lang)))
            continue
        if refused := index.refuses_parent(row, lang):
            errors.append(refused)
            continue
        errors.append(None)
        values.append({"code": row["code"], "name": row["name"], "kind": row["kind"], "parent_id": parent_id,
                       "path": "", "created_at": now})
        parent_paths.append(parent_path)
    if values:
        org = Org.__table__
        ids = [r.id for r in session.execute(
            insert(org).returning(org.c.id, sort_by_parameter_order=True), values)]
        paths = [f"{pp}{i}/" for pp, i in zip(parent_paths, ids, strict=True)]
        session.execute(update(org).where(org.c.id == bindparam("org_id")).values(path=bindparam("new_path")),
                        [{"org_id": i, "new_path": p} for i, p in zip(ids, paths, strict=True)])
        for v, i, p in zip(values, ids, paths, strict=True):
            index.by_code[v["code"]] = (i, p)
            index.kinds[v["code"]] = v["kind"]
        changed.extend(ids)
    return errors


def _write_org(ctx: Context, row: dict, index: OrgIndex, lang: str, scope: str | None,
               changed: list[int]) -> tuple[str, str] | None:
    """An org already in the directory: renamed, re-kinded, moved under its (possibly new) parent."""
    session = ctx.session
    parent_id, parent_path = index.by_code[row["parent_code"]] if row["parent_code"] else (None, "/")
    if (parent_id is None and scope is not None) or not in_scope(parent_path, scope):
        return "parent_code", row_message("not_in_scope", lang)
    org = session.get(Org, index.by_code[row["code"]][0])
    if not in_scope(org.path, scope) or (org.path == scope and org.parent_id != parent_id):
        return "code", row_message("not_in_scope", lang)
    if parent_path.startswith(org.path):
        return "parent_code", row_message("cycle", lang)
    if refused := index.refuses_parent(row, lang):
        return refused
    if row["kind"] != org.kind and not may_hold(row["kind"]) and session.execute(
            select(Org.id).where(Org.parent_id == org.id).limit(1)).first():
        return "kind", row_message("holds_orgs", lang)
    org.name, org.kind = row["name"], row["kind"]
    if org.parent_id != parent_id:
        move_subtree(ctx, org, parent_id, f"{parent_path}{org.id}/")
    index.by_code[org.code] = (org.id, org.path)
    index.kinds[org.code] = org.kind
    changed.append(org.id)
    return None


def move_subtree(ctx: Context, org: Org, parent_id: int | None, new_path: str) -> None:
    """Re-hang an org: every path below it follows (orgs, and each column that copies an org's path: people's,
    pledges' …), and people are republished."""
    session = ctx.session
    old = org.path
    session.flush()
    for column in copies_of_org_path():
        session.execute(
            update(column.table).where(in_subtree(column, old))
            .values({column.key: literal(new_path) + func.substr(column, len(old) + 1)})
        )
    session.expire_all()
    org = session.get(Org, org.id)
    org.parent_id = parent_id
    moved = list(session.scalars(select(Person).where(in_subtree(Person.org_path, new_path))))
    for start in range(0, len(moved), 1000):
        ctx.publish(DirectoryChanged(people=[person_record(p) for p in moved[start:start + 1000]]))
    sub = list(session.scalars(select(Org).where(in_subtree(Org.path, new_path), Org.id != org.id)))
    if sub:
        ctx.publish(DirectoryChanged(orgs=[org_record(o) for o in sub]))


# ---- people ----------------------------------------------------------------------------------

def upsert_people(ctx: Context, rows: list[tuple[int, dict]], index: OrgIndex, lang: str, today: date,
                  seen: dict[str, int], scope: str | None = None) -> Outcome:
    """One chunk of people rows: validated, upserted, published as one ``DirectoryChanged``."""
    session = ctx.session
    out = Outcome()
    good: list[tuple[int, dict]] = []
    for number, raw in rows:
        row, errors = clean_person(raw, lang, today)
        if not errors and row["org_code"] not in index.by_code:
            errors["org_code"] = row_message("unknown_org", lang, code=row["org_code"])
        elif not errors and not in_scope(index.by_code[row["org_code"]][1], scope):
            errors["org_code"] = row_message("not_in_scope", lang)
        if _accept(out, "people", number, row, errors, "employee_no", seen, lang):
            good.append((number, _person_values(row, index)))
    if not good:
        return out
    existing = set(session.scalars(select(Person.employee_no).where(
        Person.employee_no.in_([v["employee_no"] for _, v in good]))))
    try:
        with session.begin_nested():
            ids = _upsert_people(session, [v for _, v in good])
    except DBAPIError:
        ids = {}
        for number, values in good:
            try:
                with session.begin_nested():
                    ids.update(_upsert_people(session, [values]))
            except DBAPIError as exc:
                reason = str(exc.orig).splitlines()[0][:200] if exc.orig else "database error"
                out.errors.append(RowError(number, None, row_message("failed", lang, reason=reason), "people"))
    records = [_record(values, ids[values["employee_no"]]) for _, values in good if values["employee_no"] in ids]
    out.written = len(records)
    out.created = sum(1 for r in records if r["employee_no"] not in existing)
    if records:
        ctx.publish(PeopleChanged(people=records))
    return out


def _person_values(row: dict, index: OrgIndex) -> dict:
    org_id, org_path = index.by_code[row["org_code"]]
    return {"employee_no": row["employee_no"], "name": row["name"], "org_id": org_id, "org_path": org_path,
            "party_member": row["party_member"], "joined_party_on": row["joined_party_on"], "roles": row["roles"],
            "email": row["email"], "phone": row["phone"], "active": True}


def _upsert_people(session: Session, values: list[dict]) -> dict[str, int]:
    now = utcnow()
    rows = [{**v, "created_at": now, "updated_at": now} for v in values]
    if db.dialect_of(session) == "postgresql":
        return _copy_upsert(session, rows)
    # INSERT … ON CONFLICT (employee_no) DO UPDATE … RETURNING id, employee_no: one cached statement; executed with
    # many parameter sets, SQLAlchemy batches it into multi-row VALUES ("insertmanyvalues")
    stmt = db.upsert(session, Person, ["employee_no"], update=PERSON_COLUMNS, returning=("id", "employee_no"))
    result = session.execute(stmt, rows)
    return {r.employee_no: r.id for r in result}


COPY_COLUMNS = (*PERSON_COLUMNS, "created_at")
_STAGING = """CREATE TEMP TABLE IF NOT EXISTS people_import (
    employee_no varchar(64), name varchar(100), org_id integer, org_path varchar(512), party_member boolean,
    joined_party_on date, roles json, email varchar(200), phone varchar(32), active boolean,
    updated_at timestamptz, created_at timestamptz) ON COMMIT DELETE ROWS"""
_MERGE = (
    f"INSERT INTO people ({', '.join(COPY_COLUMNS)}) SELECT {', '.join(COPY_COLUMNS)} FROM people_import "
    f"ON CONFLICT (employee_no) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in PERSON_COLUMNS)} "
    "RETURNING id, employee_no"
)


def _copy_upsert(session: Session, rows: list[dict]) -> dict[str, int]:
    """PostgreSQL: COPY the chunk into a session-local staging table, then one INSERT … SELECT … ON CONFLICT."""
    connection = session.connection()
    connection.exec_driver_sql(_STAGING)
    connection.exec_driver_sql("TRUNCATE people_import")
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY people_import ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([json.dumps(r[c], ensure_ascii=False) if c == "roles" else r[c] for c in COPY_COLUMNS])
        cursor.execute(_MERGE)
        return {employee_no: person_id for person_id, employee_no in cursor.fetchall()}


def _record(values: dict, person_id: int) -> dict:
    """A person as ``PersonRecord``'s payload."""
    joined = values["joined_party_on"]
    return {"id": person_id, "employee_no": values["employee_no"], "name": values["name"], "org_id": values["org_id"],
            "party_member": values["party_member"], "joined_party_on": joined.isoformat() if joined else None,
            "roles": list(values["roles"]), "email": values["email"], "phone": values["phone"], "active": True}
