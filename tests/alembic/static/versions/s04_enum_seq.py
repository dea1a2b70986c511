"""non-native enum, nulls not distinct, sequences, DefaultClause

Revision ID: 5a71c0000004
Revises: 5a71c0000003
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '5a71c0000004'
down_revision = '5a71c0000003'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.schema.CreateSequence(sa.Sequence('ticket_seq', start=100)))
    op.create_table(
        'ticket',
        sa.Column('id', sa.Integer, sa.Sequence('ticket_seq'), primary_key=True),
        sa.Column('kind', sa.Enum('bug', 'task', name='ticket_kind', native_enum=False, create_constraint=True),
                  nullable=False),
        sa.Column('prio', sa.Enum('low', 'high', native_enum=False, length=12)),
        sa.Column('n', sa.Integer, server_default=sa.DefaultClause('0')),
        sa.Column('t', sa.Text, server_default=sa.schema.DefaultClause(sa.text("'none'"))),
    )
    op.add_column('ticket', sa.Column('level', sa.Enum('a', 'b', name='ticket_level', native_enum=False,
                                                       create_constraint=True)))
    op.execute(sa.schema.CreateSequence(sa.Sequence('other_seq')))


def downgrade():
    op.execute(sa.schema.DropSequence(sa.Sequence('other_seq')))
    op.drop_column('ticket', 'level')
    op.drop_table('ticket')
    op.execute(sa.schema.DropSequence(sa.Sequence('ticket_seq')))
