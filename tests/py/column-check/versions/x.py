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
    op.add_column('t', sa.Column('n', sa.Integer(), sa.CheckConstraint('n > 0', name='ck_n')))
    op.create_index('ix', 't', [sa.text('lower(a)')], postgresql_using='gin',
                    postgresql_ops={'lower(a)': 'gin_trgm_ops'})
    op.drop_index('ix', table_name='t', postgresql_where=sa.text('a > 0'), postgresql_using='gin')
