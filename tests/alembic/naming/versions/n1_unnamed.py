"""constraints and indexes left unnamed, named by the convention

Revision ID: n1n1n1n1n1n1
Revises:
Create Date: 2024-02-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'n1n1n1n1n1n1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE SCHEMA app')
    op.create_table('owner',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('region', sa.Integer(), primary_key=True),
        sa.Column('email', sa.String(80), unique=True),
        sa.Column('handle', sa.String(40), index=True),
        sa.Column('boss_id', sa.Integer()),
        sa.Column('boss_region', sa.Integer()),
        sa.ForeignKeyConstraint(['boss_id', 'boss_region'], ['app.owner.id', 'app.owner.region']),
        sa.CheckConstraint('id > 0', name='positive'),
        schema='app',
    )
    op.create_table('item',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('parent_id', sa.Integer(), sa.ForeignKey('item.id', ondelete='CASCADE')),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('code', sa.String(20), unique=True, index=True),
        sa.Column('qty', sa.Integer(), sa.CheckConstraint('qty >= 0', name='qty_nonneg')),
        sa.Column('a_column_with_a_rather_long_name_for_truncation', sa.Integer()),
        sa.UniqueConstraint('name', 'qty'),
        sa.Index(None, 'name', 'code'),
    )
    op.create_table('tag', sa.Column('label', sa.String(20), nullable=False))
    op.create_table('keyed',
        sa.Column('k_id', sa.Integer(), primary_key=True, key='kid'),
        sa.Column('v', sa.Integer(), key='vee', index=True),
        sa.Column('w', sa.Integer(), key='dub', unique=True),
    )
    op.create_primary_key(None, 'tag', ['label'])
    op.create_index(None, 'item', ['qty', 'name'])
    op.create_index(None, 'item', [sa.text('lower(name)')])
    op.create_unique_constraint(None, 'item', ['a_column_with_a_rather_long_name_for_truncation', 'name'])
    op.create_check_constraint('qty_small', 'item', 'qty < 1000')
    op.add_column('item', sa.Column('owner_id', sa.Integer()))
    op.add_column('item', sa.Column('owner_region', sa.Integer()))
    op.create_foreign_key(None, 'item', 'owner', ['owner_id', 'owner_region'], ['id', 'region'],
                          referent_schema='app')
    op.add_column('item', sa.Column('sku', sa.String(20), unique=True))
    op.add_column('item', sa.Column('slot', sa.Integer(), index=True))
    op.create_index(op.f('ix_item_explicit'), 'item', ['slot', 'qty'])
    with op.batch_alter_table('tag', naming_convention={'uq': 'ignored_%(table_name)s'}) as batch_op:
        batch_op.create_unique_constraint(None, ['label'])
        batch_op.create_index(None, ['label'])


def downgrade():
    with op.batch_alter_table('tag') as batch_op:
        batch_op.drop_index('ix_tag_label_label')
        batch_op.drop_constraint('uq_tag_label', type_='unique')
    op.drop_index(op.f('ix_item_explicit'), 'item')
    op.drop_index('ix_item_slot_slot', 'item')
    op.drop_column('item', 'slot')
    op.drop_constraint('uq_item_sku', 'item', type_='unique')
    op.drop_column('item', 'sku')
    op.drop_constraint('fk_item_owner_id_owner_idregion', 'item', type_='foreignkey')
    op.drop_column('item', 'owner_region')
    op.drop_column('item', 'owner_id')
    # %(constraint_name)s in ck: drop_constraint's name goes through it too
    op.drop_constraint('qty_small', 'item', type_='check')
    op.drop_constraint(op.f('uq_item_a_column_with_a_rather_long_name_for_truncation_name'), 'item', type_='unique')
    op.drop_index(op.f('ix_item_lower(name)_lower(name)'), 'item')
    op.drop_index(op.f('ix_item_qty_qtyname'), 'item')
    op.drop_table('keyed')
    op.drop_table('tag')
    op.drop_table('item')
    op.drop_table('owner', schema='app')
    op.execute('DROP SCHEMA app')
