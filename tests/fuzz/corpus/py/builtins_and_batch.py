revision = 'a1'
down_revision = None
from alembic import op
import sqlalchemy as sa
N = [1, (2, {'k': 'v'})]
def h(x, *a, **k):
    return f'{x!r:>{10}}' % () if x in N else x.upper()
def upgrade():
    with op.batch_alter_table('t') as b:
        b.add_column(sa.Column('c', sa.Enum('a', 'b', name='e'), nullable=False))
    op.execute(h('a'))
