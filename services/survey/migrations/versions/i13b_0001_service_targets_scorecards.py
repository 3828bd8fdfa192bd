"""survey: the copy of 三服务 service targets (shown on 三测评 ballots)

Revision ID: i13b_0001_service_targets_scorecards
Revises: 0002_survey_rounds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i13b_0001_service_targets_scorecards"
down_revision: str | Sequence[str] | None = "0002_survey_rounds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_service_targets",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("provider_type", sa.String(length=16), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("beneficiaries", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_service_targets")),
    )
    with op.batch_alter_table("survey_service_targets", schema=None) as batch_op:
        batch_op.create_index("ix_survey_service_targets_provider", ["provider_type", "provider_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_service_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_service_targets_provider")
    op.drop_table("survey_service_targets")
