"""robots (webhook formats, the robots' ledger); quiet hours and digests in preferences; urgent categories

Revision ID: i18_0001_robots_digests
Revises: 57dceb685e10
"""

import sqlalchemy as sa
from alembic import op

revision = "i18_0001_robots_digests"
down_revision = "i12s_0001_private_notifications"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.add_column(sa.Column("format", sa.String(16), nullable=False, server_default="standard"))
    op.create_table(
        "robot_deliveries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_robot_deliveries")),
        sa.UniqueConstraint("notification_id", "endpoint_id", name=op.f("uq_robot_deliveries_notification_id_endpoint_id")),
    )
    op.create_index("ix_robot_deliveries_state_next_attempt_at", "robot_deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_robot_deliveries_endpoint_id_sent_at", "robot_deliveries", ["endpoint_id", "sent_at"])
    with op.batch_alter_table("preferences") as batch:
        batch.add_column(sa.Column("quiet_hours", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("digest", sa.String(8), nullable=False, server_default="off"))
        batch.add_column(sa.Column("digest_categories", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("category_settings") as batch:
        batch.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "digest_items",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("link", sa.String(1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("digest_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
        sa.UniqueConstraint("person_id", "notification_id", name=op.f("uq_digest_items_person_id_notification_id")),
    )
    op.create_index("ix_digest_items_digest_id_created_at", "digest_items", ["digest_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_digest_items_digest_id_created_at", "digest_items")
    op.drop_table("digest_items")
    with op.batch_alter_table("category_settings") as batch:
        batch.drop_column("urgent")
    with op.batch_alter_table("preferences") as batch:
        for column in ("digest_categories", "digest", "quiet_hours"):
            batch.drop_column(column)
    op.drop_index("ix_robot_deliveries_endpoint_id_sent_at", "robot_deliveries")
    op.drop_index("ix_robot_deliveries_state_next_attempt_at", "robot_deliveries")
    op.drop_table("robot_deliveries")
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.drop_column("format")
