"""survey: a large round is opened by the workers: ``survey_rounds.ballots_planned`` (state ``opening``)

Revision ID: i16open_0001_round_opening
Revises: i12e_0001_exact_scores
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i16open_0001_round_opening"
down_revision: str | Sequence[str] | None = "i12e_0001_exact_scores"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_rounds") as batch:
        batch.add_column(sa.Column("ballots_planned", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_rounds") as batch:
        batch.drop_column("ballots_planned")
