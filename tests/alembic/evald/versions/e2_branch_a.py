"""branch a: batch operations

Revision ID: e2a2a2a2a2a2
Revises: e1e1e1e1e1e1
Create Date: 2024-02-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'e2a2a2a2a2a2'
down_revision = 'e1e1e1e1e1e1'
branch_labels = ('feature_a',)
depends_on = None


def upgrade():
    with op.batch_alter_table('app_alpha', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Integer(), nullable=True))
        batch_op.alter_column('label', existing_type=sa.String(20), type_=sa.String(40), nullable=False,
                              server_default='none')
        batch_op.create_index(batch_op.f('ix_app_alpha_score'), ['score'], unique=False)
        batch_op.create_unique_constraint('uq_alpha_label', ['label'])
        batch_op.create_check_constraint('ck_alpha_score', 'score >= 0')
        batch_op.create_foreign_key('fk_alpha_beta', 'app_beta', ['score'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('app_alpha') as batch_op:
        batch_op.drop_constraint('fk_alpha_beta', type_='foreignkey')
        batch_op.drop_constraint('ck_alpha_score', type_='check')
        batch_op.drop_constraint('uq_alpha_label', type_='unique')
        batch_op.drop_index(batch_op.f('ix_app_alpha_score'))
        batch_op.alter_column('label', existing_type=sa.String(40), type_=sa.String(20), nullable=True,
                              server_default=None)
        batch_op.drop_column('score')
