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
    op.execute(sa.schema.CreateSchema('app'))
    op.create_table('m', sa.Column('d', sa.Date(), nullable=False), postgresql_partition_by='RANGE (d)',
                    postgresql_ignore_search_path=False)
    op.create_foreign_key('fk', 'm', 'u', ['d'], ['d'], use_alter=True)
    op.alter_column('m', 'd', nullable=True, default=None)
