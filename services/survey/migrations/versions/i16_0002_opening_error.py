"""survey: a large round planned by the workers and found to have no ballots goes back to draft with why
(``survey_rounds.opening_error``)

Revision ID: i16_0002_opening_error
Revises: i16open_0001_round_opening
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i16_0002_opening_error"
down_revision: str | Sequence[str] | None = "i16open_0001_round_opening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_rounds") as batch:
        batch.add_column(sa.Column("opening_error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_rounds") as batch:
        batch.drop_column("opening_error")
