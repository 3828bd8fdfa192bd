"""dead letters (shared.deadletter): a branch of its own beside the service's tables

Revision ID: dl01_pledge
Revises: c133e45cb5cb
"""

from alembic import op

from shared import deadletter

revision = "dl01_pledge"
down_revision = "c133e45cb5cb"
branch_labels = ("dead_letters_pledge",)
depends_on = None


def upgrade() -> None:
    deadletter.migration_upgrade(op)


def downgrade() -> None:
    deadletter.migration_downgrade(op)
