# Lists nested 300,000 deep, compared: == would recurse that deep.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    x = []
    y = []
    for i in range(300):
        for j in range(1000):
            x = [x]
            y = [y]
    if x == y:
        op.execute('SELECT 1')
