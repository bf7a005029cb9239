"""run_id: the run that owns a job (fencing)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:05:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("run_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("jobs", "run_id")
