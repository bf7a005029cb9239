"""reserved_bytes: a job's inputs plus estimated results, counted against the quota until it finishes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("reserved_bytes", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("jobs", "reserved_bytes")
