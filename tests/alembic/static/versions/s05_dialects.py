"""other dialects made irrelevant, print

Revision ID: 5a71c0000005
Revises: 5a71c0000004
Create Date: 2024-05-01 10:00:00

"""
import sys

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '5a71c0000005'
down_revision = '5a71c0000004'
branch_labels = None
depends_on = None


def upgrade():
    print("adding notes", file=sys.stderr)
    sys.stdout.flush()
    op.create_table(
        'note',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('body', sa.Text().with_variant(mysql.LONGTEXT(), 'mysql')),
        sa.Column('flag', sa.Boolean().with_variant(mysql.TINYINT(display_width=1), 'mysql')),
    )
    bind = op.get_bind()
    if bind.dialect.name == 'mysql':
        op.alter_column('note', 'body', type_=mysql.MEDIUMTEXT())
    if bind.dialect.name != 'postgresql':
        op.execute("PRAGMA foreign_keys=OFF")
    else:
        op.create_index('ix_note_flag', 'note', ['flag'])
    print("done", file=sys.stderr)


def downgrade():
    op.drop_table('note')
