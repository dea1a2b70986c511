# A list that holds itself: str() would recurse forever.
from alembic import op
revision = 'r1'
down_revision = None
def upgrade():
    x = []
    x.append(x)
    op.execute(str(x))
