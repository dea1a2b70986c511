"""foreign keys with use_alter

Revision ID: d4d4d4d4d4d4
Revises: c3c3c3c3c3c3
Create Date: 2024-01-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'd4d4d4d4d4d4'
down_revision = 'c3c3c3c3c3c3'
branch_labels = None
depends_on = None


def upgrade():
    # create_table leaves use_alter foreign keys out (the tables of a
    # cycle); the revision adds them itself.
    op.create_table('cyc_a',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('b_id', sa.Integer(), sa.ForeignKey('cyc_b.id', use_alter=True, name='fk_a_b')),
        sa.Column('b2_id', sa.Integer(), sa.ForeignKey('cyc_b.id', use_alter=True)),
    )
    op.create_table('cyc_b',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('a_id', sa.Integer()),
        sa.Column('acc_id', sa.Integer(), sa.ForeignKey('account.id', use_alter=False)),
        sa.ForeignKeyConstraint(['a_id'], ['cyc_a.id'], name='fk_b_a', use_alter=True),
        sa.ForeignKeyConstraint(['a_id'], ['cyc_a.id'], use_alter=True),
        sa.ForeignKeyConstraint(['acc_id'], ['account.id'], name='fk_b_acc', use_alter=False),
    )
    op.create_foreign_key('fk_a_b', 'cyc_a', 'cyc_b', ['b_id'], ['id'], use_alter=True)
    # add_column writes a column's foreign keys as ALTERs, use_alter or not.
    op.add_column('cyc_b', sa.Column('a2_id', sa.Integer(), sa.ForeignKey('cyc_a.id', use_alter=True)))


def downgrade():
    op.drop_constraint('fk_a_b', 'cyc_a', type_='foreignkey')
    op.drop_table('cyc_b')
    op.drop_table('cyc_a')
