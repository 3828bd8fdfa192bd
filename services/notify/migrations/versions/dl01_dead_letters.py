"""dead letters (shared.deadletter): a branch of its own beside the service's tables

Revision ID: dl01_notify
Revises: 29e9ac739eb4
"""

from alembic import op

from shared import deadletter

revision = "dl01_notify"
down_revision = "29e9ac739eb4"
branch_labels = ("dead_letters_notify",)
depends_on = None


def upgrade() -> None:
    deadletter.migration_upgrade(op)


def downgrade() -> None:
    deadletter.migration_downgrade(op)
