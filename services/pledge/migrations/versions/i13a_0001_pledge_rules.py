"""pledge rules that hold: publishing channels as columns (board, meeting list, intranet ledger), the outcome
suggested at closing; 三服务 service targets and their versions

Revision ID: i13a_0001_pledge_rules
Revises: 0003_supervision
"""
import calendar
from datetime import date, timedelta
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "i13a_0001_pledge_rules"
down_revision: Union[str, Sequence[str], None] = "0003_supervision"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNELS = ("board", "meeting", "intranet")
MONTHS = {"year": 12, "quarter": 3, "month": 1}


def _period_end(kind: str, start: date) -> date:
    """``pledges.domain.carriers.period_end`` as of this revision (a migration keeps its own copy)."""
    months = start.month - 1 + MONTHS[kind]
    year, month = start.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last) if start.day > last else date(year, month, start.day) - timedelta(days=1)


def upgrade() -> None:
    _pledge_rules()
    _carrier_ends()
    _service_targets()


def _carrier_ends() -> None:
    """Carriers starting after the 28th ended a few days early (the day was clamped to 28): end them right."""
    carriers = sa.table("carriers", sa.column("id", sa.Integer), sa.column("period_kind", sa.String),
                        sa.column("period_start", sa.Date), sa.column("period_end", sa.Date))
    bind = op.get_bind()
    for row in bind.execute(sa.select(carriers.c.id, carriers.c.period_kind, carriers.c.period_start)).all():
        start = row.period_start if isinstance(row.period_start, date) else date.fromisoformat(str(row.period_start))
        if start.day > 28 and row.period_kind in MONTHS:
            bind.execute(carriers.update().where(carriers.c.id == row.id).values(
                period_end=_period_end(row.period_kind, start)))


def _service_targets() -> None:
    op.create_table(
        "service_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_type", sa.String(length=8), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("org_path", sa.String(length=512), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("beneficiaries", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_service_targets_org_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_targets")),
        sa.UniqueConstraint("provider_type", "provider_id", "period_kind", "period_start", "title",
                            name="uq_service_targets_provider_period_title"),
    )
    with op.batch_alter_table("service_targets", schema=None) as batch_op:
        batch_op.create_index("ix_service_targets_org_path", ["org_path", "period_start", "id"], unique=False)
        batch_op.create_index("ix_service_targets_org_id", ["org_id", "period_start"], unique=False)
    op.create_table(
        "service_target_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["service_targets.id"], ondelete="CASCADE",
                                name=op.f("fk_service_target_versions_target_id_service_targets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_target_versions")),
        sa.UniqueConstraint("target_id", "version", name=op.f("uq_service_target_versions_target_id_version")),
    )


def _pledge_rules() -> None:
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        for channel in CHANNELS:
            batch_op.add_column(sa.Column(f"on_{channel}", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("suggested_outcome", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_pledges_quiet", ["state", "latest_progress_at", "published_at"], unique=False)
        batch_op.create_index("ix_pledges_intranet", ["on_intranet", "org_path", "due_on", "id"], unique=False)
        batch_op.create_index("ix_pledges_intranet_due", ["on_intranet", "due_on", "id"], unique=False)
        batch_op.create_index("ix_pledges_board", ["on_board", "org_path", "due_on", "id"], unique=False)
        batch_op.create_index("ix_pledges_meeting", ["on_meeting", "org_path", "due_on", "id"], unique=False)
    pledges = sa.table("pledges", sa.column("id", sa.Integer), sa.column("channels", sa.JSON),
                       sa.column("on_ledger", sa.Boolean),
                       *(sa.column(f"on_{c}", sa.Boolean) for c in CHANNELS))
    bind = op.get_bind()
    shown = sa.select(pledges.c.id, pledges.c.channels).where(pledges.c.on_ledger.is_(True))
    for row in bind.execute(shown).all():
        chosen = set(row.channels or [])
        if chosen:
            bind.execute(pledges.update().where(pledges.c.id == row.id).values(
                **{f"on_{c}": c in chosen for c in CHANNELS}))


def downgrade() -> None:
    op.drop_table("service_target_versions")
    with op.batch_alter_table("service_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_service_targets_org_id")
        batch_op.drop_index("ix_service_targets_org_path")
    op.drop_table("service_targets")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        for name in ("ix_pledges_meeting", "ix_pledges_board", "ix_pledges_intranet_due", "ix_pledges_intranet",
                     "ix_pledges_quiet"):
            batch_op.drop_index(name)
        batch_op.drop_column("suggested_outcome")
        for channel in reversed(CHANNELS):
            batch_op.drop_column(f"on_{channel}")
