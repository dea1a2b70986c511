"""upgrade(op, ...) with Alembic's op passed by env.py, and a dialect test on the URL

Revision ID: 5e70000000a1
Revises:
Create Date: 2024-05-02 10:00:00

"""
import sqlalchemy as sa

revision = '5e70000000a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade(op, **kw):
    op.create_table('sig', sa.Column('id', sa.Integer, primary_key=True), sa.Column('v', sa.Text))
    if str(op.get_bind().engine.url).startswith("sqlite"):
        op.execute("PRAGMA foreign_keys=OFF")
    if not str(op.get_bind().engine.url).startswith(("sqlite", "mysql")):
        op.create_index('ix_sig_v', 'sig', ['v'])


def downgrade(op, **kw):
    op.drop_table('sig')
