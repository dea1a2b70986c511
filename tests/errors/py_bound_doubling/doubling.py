# A string doubled 40 times: a terabyte, unless strings are bounded.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    s = 'x'
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    s = s + s
    op.execute(s)
