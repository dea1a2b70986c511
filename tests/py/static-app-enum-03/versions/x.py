"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
from app.models import Color, Kind
def upgrade():
    op.create_table('t', sa.Column('c', sa.Enum(Color)), sa.Column('k', sa.Enum(Kind, native_enum=False, create_constraint=True)))
