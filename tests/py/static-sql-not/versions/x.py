"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
t = sa.table('t', sa.column('a'), sa.column('b'))
def upgrade():
    op.execute(t.delete().where(sa.not_(t.c.a > 1)).where(~t.c.b.like('x%')))
    op.execute(t.delete().where(sa.not_(sa.or_(t.c.a == 1, t.c.b.is_(None)))))
    op.execute(t.update().where(sa.not_(t.c.a.notin_([1, 2]))).values(a=-t.c.b))
    op.execute(t.update().where((t.c.a - t.c.b - 1) * 2 > sa.func.coalesce(t.c.b, 0)).values(b=sa.literal('x') + t.c.b))
    s = sa.table('s', sa.column('a', sa.String), sa.column('n', sa.Integer), sa.column('u'))
    op.execute(s.update().values(a=s.c.a + s.c.u, n=s.c.n + s.c.u, u=s.c.u + 'x'))
    op.execute(s.update().values(u=sa.func.lower(s.c.a) + 'x', a=s.c.a + 1, n=s.c.u + s.c.u))
    op.execute(t.delete().where(5 < t.c.a).where(sa.not_(t.c.b.ilike('X%'))).where(None != t.c.b))
