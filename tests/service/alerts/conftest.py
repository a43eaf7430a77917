"""The demo data with its indexes open in the test's process (a session factory and the indexes), and
a real SMTP server (tests/support/smtp.py) that keeps what it accepts."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import Indexes
from tests.support.smtp import Collecting, smtp_collector

Demo = tuple[sessionmaker[Session], Indexes]


@pytest.fixture(scope="package")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder) -> Iterator[Demo]:
    """A copy of the demo database for the alert tests (each adds records of its own and looks only at
    those), with its indexes opened once."""
    directory = tmp_path_factory.mktemp("alerts-demo")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    engine = make_engine(f"sqlite:///{directory / 'innomatch.sqlite3'}")
    sessions = make_session_factory(engine)
    indexes = Indexes.create(encoder=encoder, index_dir=directory / "index", session_factory=sessions)
    indexes.open()
    yield sessions, indexes
    engine.dispose()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collecting, int]]:
    with smtp_collector() as running:
        yield running
