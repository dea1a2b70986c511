# Each statement is 10 MB, 9999 of them: bounded output per file.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    s = 'x' * 9999
    s = s * 1000
    for i in range(9999):
        op.execute(s)
