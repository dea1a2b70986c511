"""schemas, indexes in create_table, inline checks

Forms that public Alembic histories use and retort once refused or
rendered differently: sa.Index inside create_table, index=True in a
schema (the name carries the schema), rename_table in a schema, a CHECK
given to the Column in add_column, postgresql_ops keyed by an sa.text()
expression, keyword arguments Alembic accepts and ignores, and an integer
primary key that a table-level foreign key names (no SERIAL).

Revision ID: 7a11ce000001
Revises:
Create Date: 2024-03-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '7a11ce000001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.schema.CreateSchema('catalog'))
    op.create_table(
        'item',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('code', sa.String(20), nullable=False, index=True),
        schema='catalog',
        postgresql_ignore_search_path=False,
    )
    op.create_table(
        'tag',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('item_id', sa.Integer()),
        sa.Index('ix_tag_label_lower', sa.text('lower(label)'), unique=True),
    )
    op.create_table(
        'tag_detail',
        sa.Column('tag_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text()),
        sa.ForeignKeyConstraint(['tag_id'], ['tag.id']),
        sa.PrimaryKeyConstraint('tag_id'),
    )
    op.add_column('tag', sa.Column('weight', sa.Integer(),
                                   sa.CheckConstraint('weight >= 0', name='ck_tag_weight'),
                                   nullable=True))
    op.create_index('ix_tag_label_pattern', 'tag', [sa.text('lower(label)')],
                    postgresql_ops={'lower(label)': 'text_pattern_ops'})
    op.create_foreign_key('fk_tag_item', 'tag', 'item', ['item_id'], ['id'],
                          referent_schema='catalog', use_alter=True)
    op.alter_column('tag', 'label', nullable=True, default='x')
    op.rename_table('item', 'article', schema='catalog')


def downgrade():
    op.rename_table('article', 'item', schema='catalog')
    op.alter_column('tag', 'label', nullable=False)
    op.drop_constraint('fk_tag_item', 'tag', type_='foreignkey')
    op.drop_index('ix_tag_label_pattern', table_name='tag', postgresql_using='btree',
                  postgresql_where=sa.text('weight > 0'))
    op.drop_column('tag', 'weight')
    op.drop_table('tag_detail')
    op.drop_table('tag')
    op.drop_index('ix_catalog_item_code', table_name='item', schema='catalog')
    op.drop_table('item', schema='catalog')
    op.execute(sa.schema.DropSchema('catalog'))
