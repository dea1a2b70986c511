"""users

Revision ID: a1a1
Revises:
Create Date: 2024-01-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'a1a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(length=50), nullable=False),
    )


def downgrade():
    op.drop_table('users')
