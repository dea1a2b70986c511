"""execution_options, update/insert/delete as functions, where expressions

Revision ID: 5a71c0000003
Revises: 5a71c0000002
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '5a71c0000003'
down_revision = '5a71c0000002'
branch_labels = None
depends_on = None

item = sa.table(
    'item',
    sa.column('id', sa.Integer),
    sa.column('qty', sa.Integer),
    sa.column('state', sa.String),
)


def upgrade():
    op.execute("UPDATE item SET qty = 0 WHERE qty IS NULL", execution_options=None)
    op.execute(sa.insert(item).values(id=10, qty=3, state='new'))
    op.execute(sa.insert(item).values({'id': 11, 'qty': 4, 'state': 'old'}))
    op.execute(sa.update(item).where(item.c.id == 10).values(qty=item.c.qty + 1))
    op.execute(sa.update(item).where(sa.and_(item.c.id.in_([10, 11]), item.c.state != 'gone'))
               .values(state='old'))
    op.execute(sa.update(item).where(item.c.state.is_(None)).values({'state': 'new'}))
    op.execute(item.update().where(item.c.qty >= 3).where(item.c.qty < 100).values(qty=item.c.qty * 2))
    op.execute(sa.delete(item).where(sa.or_(item.c.id == 11, item.c.state.isnot(None) & (item.c.qty > 99))))
    op.execute(sa.delete(item).where(sa.not_(item.c.id.in_([10]))), execution_options=None)
    # SET in the table's column order, whatever the order of values()
    items = sa.table('item', sa.Column('qty', sa.Integer), sa.Column('state', sa.String(10)))
    op.execute(items.update().where(items.c.state == 'old').values(state=sa.literal('ol') + 'd', qty=items.c.qty - 1))


def downgrade():
    op.execute(sa.delete(item).where(item.c.id.in_([10, 11])))
