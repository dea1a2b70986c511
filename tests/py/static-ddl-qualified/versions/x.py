"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
t = sa.table('t', sa.column('a'))
def upgrade():
    op.create_index('ix_t_a', 't', ['a'], postgresql_where=sa.and_(sa.column('a') > 0, t.c.a < 9))
