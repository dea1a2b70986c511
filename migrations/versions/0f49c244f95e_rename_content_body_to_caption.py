"""Rename content.body to caption

Revision ID: 0f49c244f95e
Revises: 0dce46aac0f0
Create Date: 2025-01-20 16:45:10

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0f49c244f95e'
down_revision = '0dce46aac0f0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # retort:ignore rename-column shipped with the release that reads 'caption', in a maintenance window
    op.alter_column('content', 'body', new_column_name='caption')
    op.alter_column('content', 'caption',
                    comment='Text posted with the media; platforms may truncate it')


def downgrade() -> None:
    op.alter_column('content', 'caption', comment=None)
    op.alter_column('content', 'caption', new_column_name='body')
