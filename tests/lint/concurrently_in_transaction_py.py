"""CONCURRENTLY outside and inside an autocommit block"""
from alembic import op
import sqlalchemy as sa

revision = "p1"
down_revision = None


def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer))
    op.create_index("t_id", "t", ["id"], postgresql_concurrently=True)
    with op.get_context().autocommit_block():
        op.create_index("t_id2", "t", ["id"], postgresql_concurrently=True)


def downgrade():
    op.drop_table("t")
