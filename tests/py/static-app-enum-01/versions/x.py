"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
from app.models import Color
def upgrade():
    op.create_table('t', sa.Column('c', sa.Enum(Color, name='color')))
