"""footfall regions of heatmap jobs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:40:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "jobs",
        sa.Column(
            "regions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
    )


def downgrade() -> None:
    op.drop_column("jobs", "regions")
