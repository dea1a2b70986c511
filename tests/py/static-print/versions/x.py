"""msg

Revision ID: r1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa
revision = 'r1'
down_revision = None
import sys
def upgrade():
    print('migrating', 42)
    sys.stdout.flush()
    print(f'done {1 + 1}', file=sys.stderr)
    sys.stderr.flush()
    op.execute('SELECT 1')
