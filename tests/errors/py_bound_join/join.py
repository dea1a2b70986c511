# Strings joined into a 1 GB one: bounded as it grows, not after.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    s = 'x' * 9999
    t = [s for i in range(9999)]
    u = [','.join(t) for i in range(9999)]
    op.execute(''.join(u))
