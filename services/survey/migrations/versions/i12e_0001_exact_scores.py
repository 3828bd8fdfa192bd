"""survey results: the exact score (grades and ranks are decided on it) and a pledger's own self part

Revision ID: i12e_0001_exact_scores
Revises: i13b_0001_targets_scorecards
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i12e_0001_exact_scores"
down_revision: str | Sequence[str] | None = "i13b_0001_targets_scorecards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_results") as batch:
        batch.add_column(sa.Column("score_exact", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("own_self", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_results") as batch:
        batch.drop_column("own_self")
        batch.drop_column("score_exact")
