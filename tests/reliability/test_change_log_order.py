"""On PostgreSQL a change committed late never hides behind a later sequence number a follower has passed.

Two transactions can take sequence numbers in one order and commit in the other: without the
change-log lock (repository.log_change), a follower would apply seq N+1, move past it, and never
apply seq N when it commits afterwards. SQLite has one writer at a time, so only PostgreSQL is tested.
"""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import Indexes, insert_record, record_text
from service.indexing.vectors import encode_changed, store_encoded
from service.models import Need

pytestmark = pytest.mark.postgres


def _finished_or_waiting_for_the_lock(writer: threading.Thread, engine: Engine) -> None:
    """Returns once `writer` has finished or waits on an advisory lock (the change log's)."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
    )
    deadline = time.monotonic() + 60
    while writer.is_alive():
        with engine.connect() as connection:
            if connection.scalar(waiting):
                return
        assert time.monotonic() < deadline, "the second writer neither finished nor waited"
        time.sleep(0.02)


def test_a_follower_does_not_skip_a_change_committed_after_a_later_one(
    postgres_url: str, encoder: Encoder, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)
    indexes = Indexes.create(encoder=encoder, index_dir=tmp_path / "index", session_factory=sessions)
    indexes.open()

    # The first writer logs its change (the lower sequence number) and keeps its transaction open.
    first = sessions()
    early = Need(title="Early", description="Water leaks in old pipes.", language="en", kpi_codes=[])
    first.add(early)
    first.flush()
    [encoded] = encode_changed(
        first,
        encoder=encoder,
        kind="need",
        owner_ids=[None],
        texts=[record_text(early.title, early.description)],
    )
    store_encoded(first, model_id=encoder.model_id, kind="need", owner_id=early.id, encoded=encoded)
    first.flush()

    # The second goes through the service's write path (commit, then catch-up) meanwhile.
    late_ids: list[int] = []

    def second_writer() -> None:
        with sessions() as session:
            late = Need(title="Late", description="Street lights stay on all night.", kpi_codes=[])
            insert_record(session=session, indexes=indexes, record=late)
            late_ids.append(late.id)

    second = threading.Thread(target=second_writer)
    second.start()
    try:
        _finished_or_waiting_for_the_lock(second, engine)
        indexes.needs.catch_up()  # a follower's tick while the first change is still uncommitted
        first.commit()
    finally:
        first.close()
        second.join(timeout=60)
    indexes.needs.catch_up()
    try:
        assert late_ids, "the second write failed"
        assert set(indexes.needs.ids().tolist()) == {early.id, *late_ids}
    finally:
        engine.dispose()
