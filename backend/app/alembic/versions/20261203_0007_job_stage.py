"""stage and eta_s: what a running job is doing and how long it has left

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03 06:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("stage", sa.String(length=32), nullable=True))
    op.add_column("jobs", sa.Column("eta_s", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("jobs", "eta_s")
    op.drop_column("jobs", "stage")
