"""application enum.Enum classes declared in retort.ini [enums]

Revision ID: 5a71c0000006
Revises: 5a71c0000005
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.enums import Color, Size

revision = '5a71c0000006'
down_revision = '5a71c0000005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'paint',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('color', sa.Enum(Color, name='color'), nullable=False),
        sa.Column('size', sa.Enum(Size, name='size')),
        sa.Column('alt', sa.Enum(Color, name='alt_color', native_enum=False, create_constraint=True)),
    )


def downgrade():
    op.drop_table('paint')
    sa.Enum(name='size').drop(op.get_bind())
    sa.Enum(name='color').drop(op.get_bind())
