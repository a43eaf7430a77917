"""Shared fixtures: a real encoder, real databases (SQLite file, PostgreSQL server) and a real server.

Imports of the service, the encoders and the servers happen inside the fixtures, so that collecting
the fast unit layer (tests/unit) loads none of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Servers in tests run without the alert jobs unless a test turns them on (Settings(alerts_worker=True)):
# a consumer in every server would evaluate saved searches each minute beside the test's own requests.
os.environ.setdefault("INNOMATCH_ALERTS_WORKER", "false")

from tests.api.fuzz_report import FUZZ_REPORT

if TYPE_CHECKING:
    import httpx

    from embeddings import Encoder
    from service.config import Settings
    from tests.support.servers import LiveServer


# The fuzz figures of the xdist workers, gathered by the controller as each worker stops.
_WORKERS_FUZZ_LINES: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the fuzz figures to the controller
        workeroutput["fuzz_report"] = FUZZ_REPORT.lines()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    _WORKERS_FUZZ_LINES.extend(node.workeroutput.get("fuzz_report", []))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fuzz figures (operations, cases, failures, time), so that CI's log shows them."""
    for line in [*FUZZ_REPORT.lines(), *_WORKERS_FUZZ_LINES]:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default multilingual encoder, loaded once; the cache makes repeated texts free."""
    from embeddings import CachingEncoder, load_encoder

    return CachingEncoder(load_encoder("e5-small", threads=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """The catalogues plus the encoder's language centroids and KPI text vectors, copied per test."""
    from service.db import make_engine, make_session_factory
    from service.indexing import Indexes
    from tests.support.databases import catalogue_database

    folder = tmp_path_factory.mktemp("template")
    path = catalogue_database(folder / "template.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    # Server processes then need not fit the centroids nor encode the KPI texts.
    indexes = Indexes.create(
        encoder=encoder, index_dir=folder / "indexes", session_factory=make_session_factory(engine)
    )
    indexes.kpi_suggester.open()
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the test server, migrated and seeded with the catalogues, dropped at the end."""
    from service.db import make_engine, make_session_factory
    from service.migrations import upgrade_to_head
    from service.seeding import run_seed
    from tests.support.databases import no_encoder, scratch_postgres_database

    with scratch_postgres_database("innomatch_test") as url:
        upgrade_to_head(url)
        engine = make_engine(url)
        run_seed(make_session_factory(engine), demo=False, encoder_factory=no_encoder)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each test starts with the catalogues and no records, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "innomatch.sqlite3"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    from tests.support.databases import empty_records

    url: str = request.getfixturevalue("postgres_database")
    empty_records(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    from service.config import Settings
    from tests.support.servers import ADMIN_TOKEN

    return Settings(
        data_dir=tmp_path / "data", database_url=database_url, admin_token=ADMIN_TOKEN, seed="none"
    )


@pytest.fixture
def live_server(settings: Settings, encoder: Encoder) -> Iterator[LiveServer]:
    from tests.support.servers import start_server

    server = start_server(settings, encoder)
    yield server
    server.stop()


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client with the admin token, talking to the live server."""
    with live_server.client() as client:
        yield client


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """A SQLite file seeded as a new user's `scripts/run` seeds it, built once per run and copied."""
    from tests.support.databases import demo_database

    folder = tmp_path_factory.mktemp("demo-template")
    return demo_database(folder / "demo.sqlite3", encoder, folder / "indexes")


@pytest.fixture(scope="session")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[LiveServer]:
    """One live server on a copy of the demo data, shared by the tests that only read it."""
    from service.config import Settings
    from tests.support.servers import ADMIN_TOKEN, start_server

    data_dir = tmp_path_factory.mktemp("demo-server")
    shutil.copy(demo_template, data_dir / "innomatch.sqlite3")
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'innomatch.sqlite3'}",
        admin_token=ADMIN_TOKEN,
        seed="none",
        follow_interval=0,  # the only writer is this server: no follower thread outliving other tests
    )
    server = start_server(settings, encoder)
    yield server
    server.stop()
