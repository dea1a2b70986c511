"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
def upgrade():
    op.bulk_insert(sa.table('t', sa.column('a')),  # rows
        [
            {'a': (1)},  # one
            {'a': [2, 3][0]},
        ])
