"""columns counted by a dotted setting

Revision ID: k2k2k2k2k2k2
Revises: k1k1k1k1k1k1
Create Date: 2024-03-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from app import config

revision = 'k2k2k2k2k2k2'
down_revision = 'k1k1k1k1k1k1'
branch_labels = None
depends_on = None


def upgrade():
    for i in range(config.LIMIT):
        op.add_column('accounts', sa.Column(f'slot_{i}', sa.Integer))
    if config.LIMIT > 1 and config.MODE == 'b':
        op.create_index('ix_accounts_slot_1', 'accounts', ['slot_1'])


def downgrade():
    if config.LIMIT > 1 and config.MODE == 'b':
        op.drop_index('ix_accounts_slot_1', 'accounts')
    for i in reversed(range(config.LIMIT)):
        op.drop_column('accounts', f'slot_{i}')
