"""SQLAlchemy expressions in checks, defaults, partial indexes, computed columns

Revision ID: 5a71c0000002
Revises: 5a71c0000001
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '5a71c0000002'
down_revision = '5a71c0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'item',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('qty', sa.Integer, nullable=False, server_default=sa.literal(0)),
        sa.Column('price', sa.Numeric(10, 2)),
        sa.Column('state', sa.String(10), server_default=sa.literal('new')),
        sa.Column('created', sa.DateTime, server_default=sa.func.now()),
        sa.Column('total', sa.Numeric(12, 2), sa.Computed(sa.column('qty') * sa.column('price'))),
        sa.Column('deleted_at', sa.DateTime),
        sa.CheckConstraint(sa.column('qty') >= 0, name='ck_item_qty'),
        sa.CheckConstraint(sa.and_(sa.column('price') > 0, sa.column('price') < 1000000), name='ck_item_price'),
        sa.CheckConstraint(sa.or_(sa.column('state').in_(['new', 'old']), sa.column('state').is_(None)),
                           name='ck_item_state'),
        sa.CheckConstraint(sa.not_(sa.column('qty') == sa.column('id') + 1), name='ck_item_odd'),
        sa.CheckConstraint(sa.func.length(sa.column('state')) <= 10, name='ck_item_len'),
    )
    op.create_index('ix_item_live', 'item', ['qty'], postgresql_where=sa.column('deleted_at').is_(None))
    op.create_index('ix_item_gone', 'item', ['qty'], postgresql_where=sa.column('deleted_at').isnot(None))
    op.create_check_constraint('ck_item_mod', 'item', (sa.column('qty') - 1) / 2 != -1)
    op.add_column('item', sa.Column('code', sa.String(8), server_default=sa.func.upper('x')))


def downgrade():
    op.drop_column('item', 'code')
    op.drop_constraint('ck_item_mod', 'item')
    op.drop_index('ix_item_gone', 'item')
    op.drop_index('ix_item_live', 'item')
    op.drop_table('item')
