# A lambda calling itself: the C stack, unless calls are bounded.
from alembic import op
revision = 'r1'
down_revision = None
f = lambda: f()
def upgrade():
    op.execute(f())
