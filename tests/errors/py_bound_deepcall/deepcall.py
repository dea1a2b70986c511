# The deepest the bounds allow: 190 nested brackets in each of 49 nested calls.
# It must compile, within the C stack (also under ASan).
from alembic import op
revision = 'r1'
down_revision = None
def f(n):
    if n == 0:
        return 'x'
    return ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((f(n - 1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
def upgrade():
    # retort:ignore syntax-error 'x' stands for any SQL: this case measures the evaluator's depth
    op.execute(f(48))
