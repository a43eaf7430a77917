"""Fixtures of the API tests: row counts of the real database, and live servers shared by a module."""

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, inspect, select, table

from embeddings import Encoder
from service.config import Settings
from service.db import make_engine
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

RowCounts = Callable[[], dict[str, int]]


def row_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the database: a refused request must leave all of them as they were."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {
                name: int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
                for name in names
            }
    finally:
        engine.dispose()


@pytest.fixture
def counts(settings: Settings) -> RowCounts:
    """Row counts of the database of the test's `api` server, read on each call."""
    return lambda: row_counts(settings.resolved_database_url)


@dataclass
class SharedServer:
    """A live server on its own SQLite file, shared by the tests of a module."""

    live: LiveServer
    database_url: str

    def counts(self) -> dict[str, int]:
        return row_counts(self.database_url)

    def client(self, *, token: str | None = ADMIN_TOKEN) -> httpx.Client:
        return self.live.client(token=token)


def _shared_server(directory: Path, template: Path, encoder: Encoder) -> SharedServer:
    database = directory / "innomatch.sqlite3"
    shutil.copy(template, database)
    url = f"sqlite:///{database}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    return SharedServer(live=start_server(settings, encoder), database_url=url)


@pytest.fixture(scope="module")
def catalogue_server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    """The catalogues and no records: for requests that must be refused before they store anything."""
    server = _shared_server(tmp_path_factory.mktemp("catalogue"), sqlite_template, encoder)
    yield server
    server.live.stop()


@pytest.fixture(scope="module")
def seeded_server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    """The catalogues and the demo records (suppliers, solutions, needs, KPI values, gap needs)."""
    server = _shared_server(tmp_path_factory.mktemp("seeded"), demo_template, encoder)
    yield server
    server.live.stop()
