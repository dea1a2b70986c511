"""a syntax error in SQL a .py revision renders"""
from alembic import op
import sqlalchemy as sa

revision = "p1"
down_revision = None


def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer))
    op.execute("UPDATE t SET id = id + 1 WHER id > 0")


def downgrade():
    op.drop_table("t")
