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
    op.create_index('ix_t_a', 't', ['a', 'b'], unique=True, postgresql_nulls_not_distinct=True,
                    postgresql_where=sa.text('a IS NOT NULL'))
    op.create_index('ix_t_b', 't', ['b'], unique=True, postgresql_nulls_not_distinct=False)
    op.create_table('u', sa.Column('a', sa.Integer), sa.Index('ix_u_a', 'a', unique=True, postgresql_nulls_not_distinct=True))
    op.create_unique_constraint('uq_t_ab', 't', ['a', 'b'], postgresql_nulls_not_distinct=True)
    op.create_table('v', sa.Column('a', sa.Integer), sa.UniqueConstraint('a', name='uq_v_a', postgresql_nulls_not_distinct=False))
def downgrade():
    op.drop_index('ix_t_a', table_name='t', postgresql_nulls_not_distinct=True)
