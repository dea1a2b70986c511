revision = 'a1'
down_revision = None
def upgrade():
    op.execute('unterminated
