"""survey: the answer pool (submissions wait there until released in a shuffled batch); ballots.released

Revision ID: i12s_0001_answer_pool
Revises: 0002_survey_rounds
"""

import sqlalchemy as sa
from alembic import op

revision = "i12s_0001_answer_pool"
down_revision = "0002_survey_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_answer_pool",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["ballot_id"], ["survey_ballots.id"], name=op.f("fk_survey_answer_pool_ballot_id_survey_ballots")),
        sa.ForeignKeyConstraint(["round_id"], ["survey_rounds.id"], name=op.f("fk_survey_answer_pool_round_id_survey_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer_pool")),
        sa.UniqueConstraint("ballot_id", name=op.f("uq_survey_answer_pool_ballot_id")),
    )
    with op.batch_alter_table("survey_answer_pool") as batch:
        batch.create_index(batch.f("ix_survey_answer_pool_round_id"), ["round_id"], unique=False)
    with op.batch_alter_table("survey_ballots") as batch:
        batch.add_column(sa.Column("released", sa.Boolean(), server_default=sa.false(), nullable=False))
    # ballots used before the pool existed stored their answers at once: released already
    op.execute("UPDATE survey_ballots SET released = used")


def downgrade() -> None:
    with op.batch_alter_table("survey_ballots") as batch:
        batch.drop_column("released")
    op.drop_table("survey_answer_pool")
