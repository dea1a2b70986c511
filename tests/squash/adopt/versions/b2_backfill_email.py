"""backfill email from the application's data

Revision ID: b2b2
Revises: a1a1
Create Date: 2024-01-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'b2b2'
down_revision = 'a1a1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('email', sa.String(length=200)))
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT id, name FROM users")):
        conn.execute(sa.text("UPDATE users SET email = :e WHERE id = :i"),
                     {"e": row.name + "@example.com", "i": row.id})


def downgrade():
    op.drop_column('users', 'email')
