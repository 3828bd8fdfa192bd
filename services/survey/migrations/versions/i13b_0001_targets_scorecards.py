"""survey: the copy of 三服务 service targets (shown on 三测评 ballots); 四好 scorecard facts, settings, scorecards

Revision ID: i13b_0001_targets_scorecards
Revises: i12s_0001_answer_pool
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i13b_0001_targets_scorecards"
down_revision: str | Sequence[str] | None = "i12s_0001_answer_pool"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the fact columns of survey_scorecard_facts, in the order of shared.messages.OrgYearFacts
FACTS = ("pledges", "completion_sum", "closed", "fulfilled", "partly", "unfulfilled", "inspections", "rating_sum",
         "comment_quarters", "quarters_due", "site_evaluations", "site_overall_sum", "contact_points",
         "contact_points_visited", "contact_visits")


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
    op.create_table(
        "survey_scorecard_facts",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        *[sa.Column(name, sa.Float() if name.endswith("_sum") and name != "rating_sum" else sa.Integer(),
                    nullable=False) for name in FACTS],
        sa.PrimaryKeyConstraint("org_id", "year", name=op.f("pk_survey_scorecard_facts")),
    )
    op.create_table(
        "survey_scorecard_settings",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_survey_scorecard_settings")),
    )
    op.create_table(
        "survey_scorecards",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("org_path", sa.String(length=512), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("score", sa.String(length=64), nullable=True),
        sa.Column("score_value", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("rank_in_parent", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "year", name=op.f("pk_survey_scorecards")),
    )
    with op.batch_alter_table("survey_scorecards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_scorecards_org_path"), ["org_path"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_scorecards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_scorecards_org_path"))
    op.drop_table("survey_scorecards")
    op.drop_table("survey_scorecard_settings")
    op.drop_table("survey_scorecard_facts")
    with op.batch_alter_table("survey_service_targets", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_service_targets_provider")
    op.drop_table("survey_service_targets")
