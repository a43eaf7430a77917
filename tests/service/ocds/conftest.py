"""A database with nothing in it yet, on SQLite and PostgreSQL: the migrations' backfill tests start there."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import scratch_postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    with scratch_postgres_database("innomatch_ocds_backfill") as url:
        yield url
