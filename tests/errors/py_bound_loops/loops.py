# Seven nested loops of 100: 10^14 statements, unless steps or memory are bounded.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    for a in range(100):
        for b in range(100):
            for c in range(100):
                for d in range(100):
                    for e in range(100):
                        for f in range(100):
                            for g in range(100):
                                op.execute('SELECT 1')
