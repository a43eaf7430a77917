"""The Alembic migrations create exactly the schema the ORM models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.all_models import Base
from service.db import make_engine
from service.migrations import upgrade_to_head


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade_to_head(database_url)  # already at head: a no-op that must not fail
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
