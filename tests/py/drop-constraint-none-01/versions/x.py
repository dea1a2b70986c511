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
    op.create_foreign_key(None, 't', 'u', ['u_id'], ['id'])
def downgrade():
    op.drop_table('x')
    op.drop_constraint(None, 't', type_='foreignkey')
