"""Migration i12e_0001_canonical_roles: roles stored as typed before the one vocabulary become their keys."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.pledge import service
from shared import migrations
from shared.db import make_engine
from shared.testing.databases import BACKEND, create_pg_database, drop_pg_database


def test_titles_stored_earlier_become_keys_and_unknown_names_stay(tmp_path):
    name = f"xf_roles_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = create_pg_database(name) if BACKEND == "services" else f"sqlite:///{tmp_path / 'pledge.sqlite3'}"
    migrations.upgrade("pledge", service.migrations_dir, url, "0003_supervision")
    engine = make_engine(url)
    now = datetime.now(UTC)
    orgs = sa.table("orgs", *(sa.column(c) for c in ("id", "code", "name", "kind", "path", "created_at")))
    people = sa.table("people", sa.column("id"), sa.column("employee_no"), sa.column("name"), sa.column("org_id"),
                      sa.column("org_path"), sa.column("party_member"), sa.column("roles", sa.JSON),
                      sa.column("active"), sa.column("created_at"), sa.column("updated_at"))
    given = {1: ["书记", "组织委员"], 2: ["secretary"], 3: [], 4: ["纪检委员", "leader", "纪检委员"], 5: ["支部副书记"]}
    try:
        with engine.begin() as conn:
            conn.execute(orgs.insert().values(id=1, code="B", name="支部", kind="branch", path="/1/", created_at=now))
            conn.execute(people.insert(), [
                {"id": pid, "employee_no": f"E{pid}", "name": f"p{pid}", "org_id": 1, "org_path": "/1/",
                 "party_member": True, "roles": roles, "active": True, "created_at": now, "updated_at": now}
                for pid, roles in given.items()])
        migrations.upgrade("pledge", service.migrations_dir, url)
        with engine.connect() as conn:
            stored = dict(conn.execute(sa.select(people.c.id, people.c.roles)).all())
        assert stored == {1: ["secretary", "organizer"], 2: ["secretary"], 3: [], 4: ["discipline", "leader"],
                          5: ["deputy_secretary"]}
    finally:
        engine.dispose()
        if BACKEND == "services":
            drop_pg_database(name)
