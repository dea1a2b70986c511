"""tables chosen by the application's settings

Revision ID: k1k1k1k1k1k1
Revises:
Create Date: 2024-03-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.config import MODE, MULTI_TENANT, NULLABLE, PREFIX, SCHEMA

revision = 'k1k1k1k1k1k1'
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = [t for t in ['accounts', 'tenants'] if MULTI_TENANT or t == 'accounts']


def upgrade():
    if not MULTI_TENANT:
        op.create_table('single_tenant', sa.Column('id', sa.Integer, primary_key=True))
    for t in TENANT_TABLES:
        op.create_table(t, sa.Column('id', sa.Integer, primary_key=True), schema=SCHEMA)
    op.create_table('mode_' + MODE if MODE in ('a', 'b') else 'mode_other',
                    sa.Column('c', sa.Text, nullable=NULLABLE))
    op.create_table(PREFIX or 'plain', sa.Column('x', sa.Integer))
    op.create_table(MULTI_TENANT and 'shared' or 'own', sa.Column('x', sa.Integer))


def downgrade():
    op.drop_table('own')
    op.drop_table(PREFIX or 'plain')
    op.drop_table('mode_b' if MODE != 'a' else 'mode_a')
    for t in reversed(TENANT_TABLES):
        op.drop_table(t, schema=SCHEMA)
    if not MULTI_TENANT:
        op.drop_table('single_tenant')
