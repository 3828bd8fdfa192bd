"""dead letters (shared.deadletter): a branch of its own beside the service's tables

Revision ID: dl01_survey
Revises: 454f7f4fe39d
"""

from alembic import op

from shared import deadletter

revision = "dl01_survey"
down_revision = "454f7f4fe39d"
branch_labels = ("dead_letters_survey",)
depends_on = None


def upgrade() -> None:
    deadletter.migration_upgrade(op)


def downgrade() -> None:
    deadletter.migration_downgrade(op)
