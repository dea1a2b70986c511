revision = 'a1'
down_revision = None
from alembic import op
@decorate
def upgrade():
	if True:
        op.drop_table('t')
