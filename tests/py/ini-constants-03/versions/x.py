"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
from app import settings as s
def upgrade():
    if s.MODE in ('a', 'b') and s.N < 0:
        op.add_column('t', sa.Column('c', sa.Text, nullable=s.NULLABLE), schema=s.SCHEMA)
    op.drop_table('x' if s.SCHEMA else 'y')
