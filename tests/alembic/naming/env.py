import os

from alembic import context
from sqlalchemy import MetaData, UniqueConstraint, create_engine, pool

url = os.environ.get("DATABASE_URL", "postgresql://localhost/none")

# The same convention as retort.ini's [naming_convention]: every key form
# and every token SQLAlchemy's ConventionDict knows.
target_metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s_%(column_0N_key)s",
    UniqueConstraint: "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s_%(referred_column_0N_name)s",
    "pk": "pk_%(table_name)s_%(column_0_N_key)s_%(column_1_label)s",
})


def run_migrations_offline():
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
