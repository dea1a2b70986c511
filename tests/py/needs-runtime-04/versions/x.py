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
    insp = sa.inspect(op.get_bind())
    if 'x' in insp.get_table_names():
        op.drop_table('x')
