"""Real databases for the tests: a migrated SQLite file with the catalogues, and scratch PostgreSQL
databases on the server at INNOMATCH_TEST_POSTGRES_URL."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.migrations import upgrade_to_head
from service.seeding import run_seed

POSTGRES_URL = os.environ.get(
    "INNOMATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RECORD_TABLES = (
    "sign_in_failure",
    "user_session",
    "user_invite",
    "user_account",
    "audit_event",
    "partnership_outcome",
    "partnership_release",
    "partnership",
    "feedback",
    "stored_vector",
    "index_change",
    "procurement_notice",
    "need_release",
    "need",
    "solution",
    "supplier",
    "kpi_observation",
)


def no_encoder() -> Encoder:
    raise AssertionError("catalogue seeding must not need an encoder")


def catalogue_database(path: Path) -> Path:
    """A migrated SQLite file with the real catalogues (KPIs, targets, municipalities, population)."""
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    run_seed(make_session_factory(engine), demo=False, encoder_factory=no_encoder)
    engine.dispose()
    return path


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


def empty_records(url: str) -> None:
    """Every record table of a PostgreSQL test database emptied; the catalogues stay."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(RECORD_TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def demo_database(path: Path, encoder: Encoder, index_dir: Path) -> Path:
    """A migrated SQLite file seeded as `innomatch seed` seeds it: catalogues, the demo, gap needs."""
    from service.indexing import Indexes
    from service.seeding import generate_demo_needs

    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    report = run_seed(sessions, demo=True, encoder_factory=lambda: encoder)
    indexes = Indexes.create(encoder=encoder, index_dir=index_dir, session_factory=sessions)
    indexes.open()
    generate_demo_needs(sessions, indexes, report.municipalities_with_values)
    engine.dispose()
    return path
