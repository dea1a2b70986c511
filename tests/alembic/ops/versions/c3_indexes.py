"""indexes, constraints, comments, renames, rows

Revision ID: c3c3c3c3c3c3
Revises: b2b2b2b2b2b2
Create Date: 2024-01-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'c3c3c3c3c3c3'
down_revision = 'b2b2b2b2b2b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_account_name'), 'account', ['name'], unique=False)
    op.create_index('ix_account_lower_em', 'account', [sa.text('lower(em)')], unique=True)
    op.create_index('ix_account_partial', 'account', ['parent_id', 'ts'],
                    postgresql_where=sa.text('flag'))
    op.create_index('ix_account_tags', 'account', ['tags'], postgresql_using='gin')
    op.create_unique_constraint('uq_big_note', 'big', ['note', 'qty'])
    op.create_check_constraint('ck_big_qty', 'big', 'qty >= 0')
    op.create_foreign_key('fk_pair_account', 'pair', 'account', ['x'], ['id'], ondelete='CASCADE')
    op.drop_constraint('uq_nb', 'account', type_='unique')
    op.create_table_comment('big', 'big things')
    op.rename_table('nonauto', 'manual')
    t = sa.table('manual', sa.column('id', sa.Integer), sa.column('s', sa.SmallInteger))
    op.bulk_insert(t, [{'id': 1, 's': 2}, {'id': 2, 's': None}])
    op.create_table('keyed',
        sa.Column('a', sa.Integer(), nullable=False),
        sa.Column('b', sa.String(5), nullable=False),
    )
    op.create_primary_key('pk_keyed', 'keyed', ['a', 'b'])
    op.execute(t.update().where(t.c.id == 2).values(s=7))


def downgrade():
    op.drop_table('keyed')
    op.execute(sa.text('DELETE FROM manual'))
    op.rename_table('manual', 'nonauto')
    op.drop_table_comment('big')
    op.create_unique_constraint('uq_nb', 'account', ['name', 'parent_id'])
    op.drop_constraint('fk_pair_account', 'pair', type_='foreignkey')
    op.drop_constraint('ck_big_qty', 'big', type_='check')
    op.drop_constraint('uq_big_note', 'big')
    op.drop_index('ix_account_tags', table_name='account')
    op.drop_index('ix_account_partial', table_name='account')
    op.drop_index('ix_account_lower_em', table_name='account')
    op.drop_index(op.f('ix_account_name'), table_name='account')
