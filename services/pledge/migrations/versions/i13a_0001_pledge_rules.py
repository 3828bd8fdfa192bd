"""pledge rules that hold: publishing channels as columns (board, meeting list, intranet ledger), the outcome
suggested at closing

Revision ID: i13a_0001_pledge_rules
Revises: 0003_supervision
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "i13a_0001_pledge_rules"
down_revision: Union[str, Sequence[str], None] = "0003_supervision"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNELS = ("board", "meeting", "intranet")


def upgrade() -> None:
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        for channel in CHANNELS:
            batch_op.add_column(sa.Column(f"on_{channel}", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("suggested_outcome", sa.String(length=16), nullable=True))
    pledges = sa.table("pledges", sa.column("id", sa.Integer), sa.column("channels", sa.JSON),
                       *(sa.column(f"on_{c}", sa.Boolean) for c in CHANNELS))
    bind = op.get_bind()
    for row in bind.execute(sa.select(pledges.c.id, pledges.c.channels)).all():
        chosen = set(row.channels or [])
        if chosen:
            bind.execute(pledges.update().where(pledges.c.id == row.id).values(
                **{f"on_{c}": c in chosen for c in CHANNELS}))


def downgrade() -> None:
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("suggested_outcome")
        for channel in reversed(CHANNELS):
            batch_op.drop_column(f"on_{channel}")
