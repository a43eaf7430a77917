"""The alert round on huey's real queues (SQLite in the data dir, and the machine's Redis), run by a
real consumer: a new need reaches a supplier's webhook channel once, even when rounds are asked for
twice at once; a consumer started after one was killed during a round clears the round lock it left
and runs a round at once. The channel stands in for a receiver (the webhook channel has its own tests)."""

import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import service
from service.alerts.jobs import ROUND_LOCK, AlertWork, job_queue, schedule_rounds, start_consumer
from service.alerts.schemas import SavedSearchFields
from service.config import Settings
from service.indexing import Indexes
from service.models import AlertDelivery, AlertMatch, SavedSearch, Solution
from service.needs import service as needs
from service.needs.schemas import NeedCreate, NeedWritten
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate
from tests.service.alerts.conftest import Demo

RECEIVER = "https://mottak.example.no/innomatch"


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[int, list[str]]] = []

    def __call__(
        self, session: Session, delivery: AlertDelivery, search: SavedSearch, matches: Sequence[AlertMatch]
    ) -> None:
        self.received.append((search.id, [match.record_id for match in matches]))


def _wait_for(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("the consumer did not get there in time")


def _search_and_need(session: Session, indexes: Indexes, name: str) -> tuple[SavedSearch, NeedWritten]:
    """A staff token's webhook search for the needs of the first published solution, and a new need in
    that solution's words."""
    solution = session.scalars(
        select(Solution).where(Solution.status == "published").order_by(Solution.id)
    ).first()
    assert solution is not None
    token = tokens.create(session=session, token_in=TokenCreate(name="jobs", role="staff"), created_by="test")
    owner = Principal(role="staff", actor="jobs staff", token_id=token.id)
    fields = SavedSearchFields(
        name=name,
        kind="needs_for_solution",
        solution_id=solution.id,
        frequency="immediately",
        min_band="weak",
        channels=["webhook"],
    )
    search = service.create(session=session, indexes=indexes, fields=fields, caller=owner)
    need = needs.create(
        session=session,
        indexes=indexes,
        need_in=NeedCreate(
            title=solution.title, description=solution.description, municipality_number="1804"
        ),
        caller=owner,
    )
    return search, need


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_new_need_reaches_the_channel_once_through_the_queue(
    demo: Demo, tmp_path: Path, storage: str
) -> None:
    sessions, indexes = demo
    redis_url = f"redis://127.0.0.1:6379/{15}" if storage == "redis" else None
    settings = Settings(data_dir=tmp_path, redis_url=redis_url)
    huey = job_queue(settings)
    huey.storage.name = f"innomatch-test-{uuid.uuid4().hex}"  # this test's own queue on a shared Redis
    receiver = Receiver()
    work = AlertWork(sessions, indexes, {"webhook": lambda _s, _search: [RECEIVER]}, {"webhook": receiver})
    alert_round = schedule_rounds(huey, work)
    with sessions() as session:
        search, need = _search_and_need(session, indexes, "Jobber")
    consumer = start_consumer(huey)
    try:
        alert_round()
        alert_round()  # twice at once: the lock lets one run, the other finds nothing left
        _wait_for(lambda: any(str(need.id) in records for _, records in receiver.received))
        time.sleep(2)
    finally:
        consumer.stop(graceful=True)
        huey.storage.flush_all()
    mine = [records for search_id, records in receiver.received if search_id == search.id]
    assert mine == [[str(need.id)]], "sent once"
    with sessions() as session:
        [delivery] = session.scalars(
            select(AlertDelivery).where(AlertDelivery.saved_search_id == search.id)
        ).all()
        assert delivery.status == "sent" and delivery.destination == RECEIVER


def test_a_consumer_started_after_a_killed_one_runs_a_round_at_once_despite_its_lock(
    demo: Demo, tmp_path: Path
) -> None:
    """The killed process left the round lock taken in the queue's storage, and the next minute is far:
    the new consumer clears the lock and runs a round as it starts."""
    sessions, indexes = demo
    huey = job_queue(Settings(data_dir=tmp_path))
    receiver = Receiver()
    work = AlertWork(sessions, indexes, {"webhook": lambda _s, _search: [RECEIVER]}, {"webhook": receiver})
    schedule_rounds(huey, work)
    huey.lock_task(ROUND_LOCK).acquire()  # as a process killed during a round leaves it
    with sessions() as session:
        search, need = _search_and_need(session, indexes, "Etter omstart")
    consumer = start_consumer(huey)
    started = time.monotonic()
    try:
        _wait_for(lambda: (search.id, [str(need.id)]) in receiver.received, seconds=30)
    finally:
        consumer.stop(graceful=True)
    assert time.monotonic() - started < 30, "well before a periodic round a minute after the start"
