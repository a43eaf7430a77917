"""Alembic migrations; `upgrade_to_head` is what the service and the CLI call."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent
# Any constant; it names the lock that lets one process at a time migrate a PostgreSQL database.
MIGRATION_LOCK = 0x1_44E_0C4B


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    """Migrate to the newest schema; on PostgreSQL one process at a time, the others then find it done."""
    if make_url(database_url).get_backend_name() != "postgresql":
        command.upgrade(alembic_config(database_url), "head")  # SQLite: its write lock serialises
        return
    # Processes started together would otherwise run the same DDL at once, and all but one fail.
    engine = create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
            try:
                command.upgrade(alembic_config(database_url), "head")
            finally:
                connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
    finally:
        engine.dispose()


@contextmanager
def migrated_session() -> Iterator[Session]:
    """A session on the configured database, migrated first: what a command of the CLI works in."""
    from service.config import get_settings
    from service.db import make_engine, make_session_factory

    url = get_settings().resolved_database_url
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
