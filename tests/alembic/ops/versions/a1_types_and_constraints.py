"""create tables with every type

Revision ID: a1a1a1a1a1a1
Revises:
Create Date: 2024-01-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'a1a1a1a1a1a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False, server_default='x'),
        sa.Column('parent_id', sa.BigInteger(), sa.ForeignKey('account.id', ondelete='CASCADE')),
        sa.Column('ts', sa.DateTime(timezone=True), server_default=sa.text('now()')),
        sa.Column('ts2', sa.DateTime(), server_default=sa.func.now()),
        sa.Column('flag', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('ok', sa.Boolean(), server_default=sa.true()),
        sa.Column('n', sa.Numeric(10, 2)),
        sa.Column('n2', sa.Numeric(precision=8)),
        sa.Column('j', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('j2', sa.JSON()),
        sa.Column('u', postgresql.UUID(as_uuid=True)),
        sa.Column('tags', postgresql.ARRAY(sa.String(20))),
        sa.Column('grid', sa.ARRAY(sa.Integer(), dimensions=2)),
        sa.Column('kind', sa.Enum('a', 'b', name='kind_t')),
        sa.Column('iv', sa.Interval()),
        sa.Column('bl', sa.LargeBinary()),
        sa.Column('f', sa.Float()),
        sa.Column('f2', sa.Float(precision=53)),
        sa.Column('d', sa.Date()),
        sa.Column('t', sa.Time()),
        sa.Column('tz', sa.Time(timezone=True)),
        sa.Column('txt', sa.Text()),
        sa.Column('ut', sa.UnicodeText()),
        sa.Column('uni', sa.Unicode(30)),
        sa.Column('small', sa.SmallInteger()),
        sa.Column('dp', postgresql.DOUBLE_PRECISION()),
        sa.Column('ip', postgresql.INET()),
        sa.Column('ts3', postgresql.TIMESTAMP(precision=3)),
        sa.Column('em', sa.String(), unique=True, index=True, comment='e mail'),
        sa.Column('code', sa.CHAR(3), unique=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', 'parent_id', name='uq_nb'),
        sa.CheckConstraint('n > 0', name='ck_n'),
        comment='accounts table'
    )
    op.create_table('big',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('qty', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], name='fk_big_account',
                                ondelete='SET NULL', onupdate='CASCADE'),
    )
    op.create_table('ident',
        sa.Column('id', sa.Integer(), sa.Identity(always=True, start=10, increment=5), primary_key=True),
        sa.Column('other', sa.BigInteger(), sa.Identity()),
        sa.Column('a', sa.Integer()),
        sa.Column('b', sa.Integer(), sa.Computed('a * 2')),
    )
    op.create_table('pair',
        sa.Column('x', sa.Integer(), primary_key=True),
        sa.Column('y', sa.Integer(), primary_key=True),
        sa.Column('note', sa.String(10)),
    )
    op.create_table('nonauto',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column('s', sa.SmallInteger(), nullable=True),
    )
    op.create_table('smallpk',
        sa.Column('id', sa.SmallInteger(), primary_key=True),
        sa.Column('User', sa.String(10)),
        sa.Column('order', sa.Integer()),
    )


def downgrade() -> None:
    op.drop_table('smallpk')
    op.drop_table('nonauto')
    op.drop_table('pair')
    op.drop_table('ident')
    op.drop_table('big')
    op.drop_table('account')
    op.execute("DROP TYPE kind_t")
