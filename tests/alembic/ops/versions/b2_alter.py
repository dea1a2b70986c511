"""columns: add, alter, drop; data migration

Revision ID: b2b2b2b2b2b2
Revises: a1a1a1a1a1a1
Create Date: 2024-01-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'b2b2b2b2b2b2'
down_revision = 'a1a1a1a1a1a1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('account', sa.Column('timezone', sa.String(length=64), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE account SET timezone = 'UTC' WHERE timezone IS NULL"))
    op.alter_column('account', 'timezone', nullable=False, server_default='UTC',
                    existing_type=sa.String(length=64))
    op.alter_column('account', 'txt', new_column_name='body', comment='the body')
    op.alter_column('account', 'small', type_=sa.BigInteger(), postgresql_using='small::bigint',
                    existing_type=sa.SmallInteger())
    op.alter_column('account', 'ts', server_default=None)
    op.alter_column('account', 'n2', type_=sa.Numeric(12, 3), nullable=False,
                    server_default=sa.text('0'))
    op.add_column('big', sa.Column('note', sa.Text(), server_default='it''s "quoted"', comment="a note"))
    op.add_column('big', sa.Column('ref_id', sa.Integer(), sa.ForeignKey('account.id'), nullable=True))
    op.add_column('pair', sa.Column('score', sa.Integer(), index=True))
    op.drop_column('account', 'ut')


def downgrade():
    op.add_column('account', sa.Column('ut', sa.UnicodeText()))
    op.drop_column('pair', 'score')
    op.drop_column('big', 'ref_id')
    op.drop_column('big', 'note')
    op.alter_column('account', 'n2', type_=sa.Numeric(precision=8), nullable=True, server_default=None)
    op.alter_column('account', 'ts', server_default=sa.text('now()'))
    op.alter_column('account', 'small', type_=sa.SmallInteger())
    op.alter_column('account', 'body', new_column_name='txt', comment=None)
    op.drop_column('account', 'timezone')
