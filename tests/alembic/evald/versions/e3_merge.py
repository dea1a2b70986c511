"""merge the branches, index concurrently

Revision ID: e3e3e3e3e3e3
Revises: e2a2a2a2a2a2, e2b2b2b2b2b2
Create Date: 2024-02-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'e3e3e3e3e3e3'
down_revision = ('e2a2a2a2a2a2', 'e2b2b2b2b2b2')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit', sa.Column('id', sa.BigInteger(), primary_key=True),
                    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False))
    with op.get_context().autocommit_block():
        op.create_index('ix_beta_n', 'app_beta', ['n'], postgresql_concurrently=True)
    op.create_table_comment('audit', 'who did what')


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index('ix_beta_n', table_name='app_beta', postgresql_concurrently=True)
    op.drop_table('audit')
