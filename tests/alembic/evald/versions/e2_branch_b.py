"""branch b: data and enum changes

Revision ID: e2b2b2b2b2b2
Revises: e1e1e1e1e1e1
Create Date: 2024-02-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'e2b2b2b2b2b2'
down_revision = 'e1e1e1e1e1e1'
branch_labels = 'feature_b'
depends_on = None

ROWS = [("one", 1), ("two", 2)]
mood = sa.Enum('happy', 'sad', name='mood_t')


def upgrade():
    mood.create(op.get_bind(), checkfirst=False)
    op.add_column('app_beta', sa.Column('mood', mood, nullable=True))
    op.add_column('app_beta', sa.Column('n', sa.Integer(), server_default=sa.text('0'), nullable=False))
    kv = sa.table('app_beta', sa.column('id', sa.Integer), sa.column('label', sa.String),
                  sa.column('color', sa.String), sa.column('n', sa.Integer))
    rows = []
    for label, n in ROWS:
        rows.append({'id': n, 'label': label, 'color': 'red', 'n': n * 10})
    op.bulk_insert(kv, rows)
    op.execute(kv.update().where(kv.c.label == 'two').values(n=kv.c.n + 1))
    op.execute(kv.delete().where(kv.c.n > 100))


def downgrade():
    op.execute("DELETE FROM app_beta")
    op.drop_column('app_beta', 'n')
    op.drop_column('app_beta', 'mood')
    mood.drop(op.get_bind())
