"""notify: private notifications (SendNotification.private) — on the notification and each inbox message

Revision ID: i12s_0001_private_notifications
Revises: 57dceb685e10
"""

import sqlalchemy as sa
from alembic import op

revision = "i12s_0001_private_notifications"
down_revision = "57dceb685e10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("notifications", "inbox_messages"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("private", sa.Boolean(), server_default=sa.false(), nullable=False))
    # invitations and reminders sent before: their ballot links were always meant for the recipient alone
    op.execute("UPDATE notifications SET private = true WHERE category IN ('survey_invite', 'survey_reminder')")
    op.execute("UPDATE inbox_messages SET private = true WHERE category IN ('survey_invite', 'survey_reminder')")


def downgrade() -> None:
    for table in ("inbox_messages", "notifications"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("private")
