"""Add foreign key from content to profiles

Revision ID: fa73e8d430e1
Revises: 3d68ea614048
Create Date: 2025-01-08 14:30:02

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'fa73e8d430e1'
down_revision = '3d68ea614048'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Deleting a profile deletes its content.
    # retort:ignore constraint-not-valid content was still empty when this shipped
    op.create_foreign_key('fk_content_profile', 'content', 'profiles',
                          ['profile_id'], ['id'], ondelete='CASCADE')
    # PostgreSQL does not index the referencing side by itself, and the
    # cascade would otherwise scan content for every deleted profile.
    # retort:ignore require-concurrent-index content was still empty when this shipped
    op.create_index('idx_content_profile_id', 'content', ['profile_id'])


def downgrade() -> None:
    op.drop_index('idx_content_profile_id', table_name='content')
    op.drop_constraint('fk_content_profile', 'content', type_='foreignkey')
