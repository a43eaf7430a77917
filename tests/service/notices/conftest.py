"""A database (SQLite and PostgreSQL) with its indexes open in the test's process, and the sample notices."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import Indexes
from service.models import AuditEvent, IndexChange, Need, ProcurementNotice, StoredVector

SAMPLES = Path(__file__).resolve().parents[2] / "notices" / "samples"
COUNTED = (ProcurementNotice, Need, IndexChange, StoredVector, AuditEvent)


@dataclass
class Store:
    sessions: sessionmaker[Session]
    indexes: Indexes

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            return {
                model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in COUNTED
            }


@pytest.fixture
def store(database_url: str, tmp_path: Path, encoder: Encoder) -> Iterator[Store]:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    indexes = Indexes.create(encoder=encoder, index_dir=tmp_path / "index", session_factory=sessions)
    indexes.open()
    yield Store(sessions, indexes)
    engine.dispose()


def sample(name: str) -> tuple[str, bytes]:
    return name, (SAMPLES / name).read_bytes()
