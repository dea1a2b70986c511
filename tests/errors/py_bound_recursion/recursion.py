# A helper calling itself twice, 45 deep: 2^45 calls, unless steps are bounded.
from alembic import op
revision = 'r1'
down_revision = None
def f(n):
    if n == 0:
        return 'x'
    return f(n - 1) + f(n - 1)
def upgrade():
    op.execute(f(45))
