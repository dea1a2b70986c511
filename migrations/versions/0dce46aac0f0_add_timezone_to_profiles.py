"""Add timezone to profiles

Revision ID: 0dce46aac0f0
Revises: fa73e8d430e1
Create Date: 2025-01-15 10:04:51

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0dce46aac0f0'
down_revision = 'fa73e8d430e1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable first, backfill, then tighten: existing rows get 'UTC'.
    op.add_column('profiles', sa.Column('timezone', sa.String(length=64), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE profiles SET timezone = 'UTC' WHERE timezone IS NULL"))
    # retort:ignore set-not-null profiles holds one row per user: the scan is short
    op.alter_column('profiles', 'timezone', existing_type=sa.String(length=64),
                    nullable=False, server_default='UTC')


def downgrade() -> None:
    op.drop_column('profiles', 'timezone')
