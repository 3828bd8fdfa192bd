"""people.roles as role keys: titles stored before the one vocabulary (书记, 组织委员 …) become their keys

Every endpoint and the import now store the key of ``shared.roles``; rows written earlier may hold the
title as typed.  Readers tolerate both (``shared.roles.keys_of``); this makes the stored data canonical.
A name the vocabulary does not know is kept as it was (nothing is lost; readers ignore it).

Revision ID: i12e_0001_canonical_roles
Revises: 0003_supervision
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.roles import KEYS, role_key

revision: str = "i12e_0001_canonical_roles"
down_revision: str | Sequence[str] | None = "i13a_0001_pledge_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def canonical(roles: list | None) -> list:
    keys = [role_key(str(r)) or str(r) for r in roles or ()]
    known = [k for k in KEYS if k in keys]
    return known + [k for k in dict.fromkeys(keys) if k not in KEYS]


def upgrade() -> None:
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("roles", sa.JSON))
    bind = op.get_bind()
    rows = bind.execute(sa.select(people.c.id, people.c.roles)).all()
    changed = [{"pid": pid, "new": canonical(roles)} for pid, roles in rows if roles and canonical(roles) != list(roles)]
    if changed:
        bind.execute(people.update().where(people.c.id == sa.bindparam("pid")).values(roles=sa.bindparam("new")),
                     changed)


def downgrade() -> None:
    """Keys stay keys: every reader accepts them."""
