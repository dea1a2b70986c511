"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
def upgrade():
    op.execute(sa.text("UPDATE t SET a = :v WHERE b = :w AND c::text = '\\:x'").bindparams(v="it's", w=2))
    conn = op.get_bind()
    conn.execute(sa.text('INSERT INTO t (a) VALUES (:a)'), [{'a': 1.5}, {'a': None}])
    conn.execute(sa.text('DELETE FROM t WHERE a = :a'), {'a': True})
