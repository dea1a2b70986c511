"""enums and static python

Revision ID: e1e1e1e1e1e1
Revises:
Create Date: 2024-02-01 10:00:00

"""
import enum
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = 'e1e1e1e1e1e1'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ["alpha", "beta"]
PREFIX = "app"


class Color(enum.Enum):
    red = "r"
    green = "g"


status = postgresql.ENUM('draft', 'live', name='status_t', create_type=False)


def _id():
    return sa.Column('id', sa.Integer(), primary_key=True)


def upgrade() -> None:
    status.create(op.get_bind())
    for name in TABLES:
        op.create_table(
            f"{PREFIX}_{name}",
            _id(),
            sa.Column('color', sa.Enum(Color), nullable=False),
            sa.Column('status', status, server_default='draft'),
            sa.Column('label', sa.String(20).with_variant(sa.Text(), 'sqlite')),
        )
    idx = "ix_%s_%s" % (PREFIX, "alpha_label")
    op.create_index(idx, "app_alpha", ["label"])
    op.create_index("ix_{}_{}".format(PREFIX, "beta_label"), "app_beta", ["label"])
    if op.get_context().dialect.name == 'postgresql':
        op.execute("COMMENT ON TABLE app_alpha IS 'pg only'")
    else:
        op.execute("this would fail")
    bind = op.get_bind()
    if bind.engine.name != "postgresql":
        raise NotImplementedError()


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(f"{PREFIX}_{name}")
    sa.Enum(name='color').drop(op.get_bind(), checkfirst=False)
    status.drop(op.get_bind())
