"""create_table's return value in bulk_insert

Revision ID: 5a71c0000001
Revises: 
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '5a71c0000001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    kind = op.create_table(
        'kind',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('label', sa.String(20), nullable=False),
        sa.Column('weight', sa.Numeric(6, 2)),
    )
    op.bulk_insert(kind, [
        {'id': 1, 'label': 'small', 'weight': 1.5},
        {'id': 2, 'label': "o'clock", 'weight': None},
    ])


def downgrade():
    op.drop_table('kind')
