"""A PostgreSQL database for the tests of several processes and of the change log's order."""

import pytest
from sqlalchemy import text

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import load_or_fit_centroids
from tests.support.databases import RECORD_TABLES


@pytest.fixture
def postgres_url(postgres_database: str, encoder: Encoder) -> str:
    """The session's PostgreSQL database without records, the encoder's centroids stored (server
    processes then need not fit them). Skipped, with the reason, when no server is reachable."""
    engine = make_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(RECORD_TABLES)} RESTART IDENTITY CASCADE"))
    load_or_fit_centroids(make_session_factory(engine), encoder)
    engine.dispose()
    return postgres_database
