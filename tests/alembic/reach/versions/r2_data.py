"""data with bound parameters, logging, partitions

Revision ID: 7a11ce000002
Revises: 7a11ce000001
Create Date: 2024-03-01 09:10:00

"""
import logging

from alembic import op
import sqlalchemy as sa

revision = '7a11ce000002'
down_revision = '7a11ce000001'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
SEED = [('red', 1), ('green', 2)]


def upgrade():
    log.info("seeding %s", "tag")
    # Parameters through .bindparams(): Alembic's --sql writes them too
    # (given to conn.execute(), its --sql drops them and writes NULL).
    conn = op.get_bind()
    for label, in [('blue',), ('grey',)]:
        conn.execute(sa.text("INSERT INTO tag (label, weight) VALUES (:l, :w)").bindparams(l=label, w=None))
    for label, weight in SEED:
        op.execute(sa.text("INSERT INTO tag (label, weight) VALUES (:label, :weight)")
                   .bindparams(label=label, weight=weight))
    op.execute(sa.text("UPDATE tag SET label = :new WHERE label = :old AND weight::text <> '\\:x'")
               .bindparams(new="it's red", old="red"))
    op.execute("UPDATE tag SET label = label || '\\:' WHERE label = 'grey'")
    op.execute(sa.text("COMMENT ON TABLE tag IS 'from %s'" % __name__))
    op.create_table(
        'reading',
        sa.Column('taken', sa.Date(), nullable=False),
        sa.Column('value', sa.Numeric(8, 2)),
        postgresql_partition_by='RANGE (taken)',
    )


def downgrade():
    logging.warning("dropping %s", "reading")
    op.drop_table('reading')
    op.execute(sa.text("DELETE FROM tag WHERE weight IS NULL OR weight IN (:a, :b)").bindparams(a=1, b=2))
    op.execute("COMMENT ON TABLE tag IS NULL")
