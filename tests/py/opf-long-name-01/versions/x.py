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
    op.create_index(op.f('ix_currentprivacypreference_fides_user_device_provided_identity_id'),
                    'currentprivacypreference', ['fides_user_device_provided_identity_id'])
