"""Shared fixtures: a real encoder, real databases (SQLite file, PostgreSQL server) and a real uvicorn server."""

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from embeddings import CachingEncoder, Encoder, load_encoder
from service.app import create_app
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.indexing import load_or_fit_centroids
from service.migrations import upgrade_to_head
from service.seeding import run_seed

ADMIN_TOKEN = "test-admin-token"
POSTGRES_URL = os.environ.get(
    "INNOMATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RECORD_TABLES = (
    "audit_event",
    "partnership_outcome",
    "partnership",
    "feedback",
    "stored_vector",
    "index_change",
    "need",
    "solution",
    "supplier",
    "kpi_observation",
)


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default multilingual encoder, loaded once; the cache makes repeated texts free."""
    return CachingEncoder(load_encoder("e5-small", threads=1))


def catalogue_database(path: Path) -> Path:
    """A migrated SQLite file with the real catalogues (KPIs, targets, municipalities, population)."""
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    run_seed(make_session_factory(engine), demo=False, encoder_factory=_no_encoder)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """The catalogues plus the encoder's language centroids, copied per test."""
    path = catalogue_database(tmp_path_factory.mktemp("template") / "template.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    load_or_fit_centroids(make_session_factory(engine), encoder)  # server processes then need not fit them
    engine.dispose()
    return path


def _no_encoder() -> Encoder:
    raise AssertionError("catalogue seeding must not need an encoder")


def postgres_available() -> str | None:
    """None when the server answers, else the reason the PostgreSQL tests are skipped."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server means: skip, and say why
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {error.__class__.__name__}"
    return None


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards; skips without a server."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the test server, migrated and seeded with the catalogues, dropped at the end."""
    with scratch_postgres_database("innomatch_test") as url:
        upgrade_to_head(url)
        engine = make_engine(url)
        run_seed(make_session_factory(engine), demo=False, encoder_factory=_no_encoder)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Each test starts with the catalogues and no records, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "innomatch.sqlite3"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_database")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(RECORD_TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", database_url=database_url, admin_token=ADMIN_TOKEN, seed="none"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, *, token: str | None = ADMIN_TOKEN) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def uvicorn_in_thread(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, int]:
    """A real uvicorn server for `app` on a free loopback port, in a thread of the test process."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return server, thread, port


def start_server(settings: Settings, encoder: Encoder) -> LiveServer:
    server, thread, port = uvicorn_in_thread(create_app(settings, encoder=encoder))
    return LiveServer(base_url=f"http://127.0.0.1:{port}", server=server, thread=thread)


@pytest.fixture
def live_server(settings: Settings, encoder: Encoder) -> Iterator[LiveServer]:
    server = start_server(settings, encoder)
    yield server
    server.stop()


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client with the admin token, talking to the live server."""
    with live_server.client() as client:
        yield client
