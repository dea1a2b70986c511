# At module level, where unknowns stay quiet, a bound still stops it.
from alembic import op
revision = 'r1'
down_revision = None
X = [a + b for a in range(9999) for b in range(9999)]
def upgrade():
    pass
