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
    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('a', sa.Text(), index=True), sa.Index('ix_t_lower', sa.text('lower(a)'), unique=True),
        schema='s')
    op.rename_table('t', 'u', schema='s')
