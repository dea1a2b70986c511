# A 10 MB string split into 10 million items.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    s = ',' * 9999
    s = s * 1000
    op.execute(str(len(s.split(','))))
