"""a revision that depends on branch b

Revision ID: e4e4e4e4e4e4
Revises: e3e3e3e3e3e3
Create Date: 2024-02-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'e4e4e4e4e4e4'
down_revision = 'e3e3e3e3e3e3'
branch_labels = None
depends_on = ['e2b2b2b2b2b2']


def upgrade():
    op.add_column('audit', sa.Column('what', sa.String(100), nullable=True))


def downgrade():
    op.drop_column('audit', 'what')
