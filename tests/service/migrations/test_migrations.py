"""The Alembic migrations create exactly the schema the ORM models describe."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import service.models  # noqa: F401  (registers every table on Base.metadata)
from service.db import Base, make_engine
from service.migrations import upgrade_to_head


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade_to_head(database_url)  # already at head: a no-op that must not fail
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_keeps_autoincrement_through_every_migration(tmp_path: Path) -> None:
    """SQLite must never hand out a deleted id again, also after a migration rebuilt a table."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        definitions = dict(
            connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
        )
    engine.dispose()
    for table in (
        "need",
        "solution",
        "supplier",
        "index_change",
        "partnership",
        "partnership_outcome",
        "audit_event",
    ):
        assert "AUTOINCREMENT" in definitions[table], table
