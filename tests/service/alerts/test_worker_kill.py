"""`innomatch worker` as a real process, killed (SIGKILL) in the middle of a batch of webhook deliveries
and started again: every due delivery reaches the receiver, none is sent twice but the one in flight at
the kill, which comes again with the same id and body (at least once, de-duplicated by id).

Three suppliers follow the needs for one solution, each with two webhook endpoints on one slow receiver
(2 s an answer); an officer's new need matches the three searches: six deliveries. The worker is killed
when the second has arrived, before it is answered. It is started again once that claim's lease
(INNOMATCH_ALERTS_CLAIM_LEASE_SECONDS, 10 s here) has lapsed, as a supervisor would after a pause; the
round it runs at start sends the rest, the interrupted one again among them.
"""

import json
import os
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from embeddings import Encoder
from service.db import make_engine, make_session_factory, utc_now
from service.indexing import Indexes
from service.models import AlertDelivery, AlertMatch, AuditEvent
from tests.reliability.processes import innomatch_process
from tests.support.alerts import Follower, follow_solution, need_like, published_solutions
from tests.support.webhook_receiver import Answer, webhook_receiver

pytestmark = pytest.mark.slow
ANSWER_AFTER = 2.0  # seconds the receiver takes to answer each delivery
LEASE = 10  # seconds; longer than the webhook and SMTP timeouts below
WORKER_SETTINGS = {
    "INNOMATCH_SEED": "none",
    "INNOMATCH_WEBHOOK_ALLOW_PRIVATE": "true",  # the receiver is on 127.0.0.1, over http
    "INNOMATCH_WEBHOOK_TIMEOUT": "5",
    "INNOMATCH_SMTP_TIMEOUT": "5",
    "INNOMATCH_ALERTS_CLAIM_LEASE_SECONDS": str(LEASE),
    "INNOMATCH_ENCODER_THREADS": "1",
    "INNOMATCH_LOG_FORMAT": "text",
}


def _wait_for(condition: Callable[[], bool], seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s; the workers' log:\n{log.read_text()[-4000:]}")
        time.sleep(0.05)


def test_a_worker_killed_in_a_batch_and_started_again_sends_every_delivery_once(
    tmp_path: Path, demo_template: Path, encoder: Encoder
) -> None:
    shutil.copy(demo_template, tmp_path / "innomatch.sqlite3")
    url = f"sqlite:///{tmp_path / 'innomatch.sqlite3'}"
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    log = tmp_path / "worker.log"
    worker = {
        "data_dir": tmp_path / "data",
        "database_url": url,
        "settings": WORKER_SETTINGS,
        "log_file": log,
    }

    with webhook_receiver(usual=Answer(204, delay=ANSWER_AFTER)) as receiver:
        indexes = Indexes.create(encoder=encoder, index_dir=tmp_path / "test-index", session_factory=sessions)
        indexes.open()
        with sessions() as session:
            [solution] = published_solutions(session, 1)
            followers: list[Follower] = [
                follow_solution(
                    session,
                    indexes,
                    solution,
                    name=f"Behov for løsningen, leverandør {n}",
                    webhook_urls=[f"{receiver.base_url}/hooks/{n}-{m}" for m in (1, 2)],
                    channels=["webhook"],
                )
                for n in (1, 2, 3)
            ]
            need_like(session, indexes, solution)
        secrets = {endpoint.url: endpoint.secret for f in followers for endpoint in f.endpoints}
        search_ids = [follower.search.id for follower in followers]

        def deliveries() -> list[AlertDelivery]:
            with sessions() as session:
                statement = select(AlertDelivery).where(AlertDelivery.saved_search_id.in_(search_ids))
                return list(session.scalars(statement.order_by(AlertDelivery.id)))

        started = time.monotonic()
        with innomatch_process(["worker"], **worker) as first:  # type: ignore[arg-type]
            _wait_for(lambda: len(receiver.arrivals) >= 2, 120, "two deliveries did not arrive", log)
            os.killpg(first.pid, signal.SIGKILL)  # while the second waits for its answer
            first.wait()
        killed_at = time.monotonic()
        in_flight = receiver.arrivals[1].webhook_id
        before_restart = {row.public_id: row for row in deliveries()}
        assert len(before_restart) == 6, "planned before the kill: two endpoints of three searches"
        assert before_restart[receiver.arrivals[0].webhook_id].status == "sent"
        claimed = before_restart[in_flight]
        assert claimed.status == "pending" and claimed.attempts == 1, "claimed, never marked sent"
        sent_before = sum(row.status == "sent" for row in before_restart.values())
        assert 1 <= sent_before < 6, "killed in the middle of the batch"
        lease_left = (claimed.next_attempt_at - utc_now()).total_seconds()
        assert lease_left <= LEASE, "the claim holds as long as the setting says"
        time.sleep(max(0.0, lease_left))  # the claim lapses

        restarted = time.monotonic()
        with innomatch_process(["worker"], **worker):  # type: ignore[arg-type]
            _wait_for(
                lambda: all(row.status == "sent" for row in deliveries()),
                90,
                "the restarted worker did not send every delivery",
                log,
            )
            finished = time.monotonic()
    print(  # the timings, for docs/alerts.md
        f"\nfirst worker until the kill {killed_at - started:.1f} s, restarted worker until all were sent"
        f" {finished - restarted:.1f} s, the whole test {finished - started:.1f} s"
    )

    rows = deliveries()
    planned = {row.public_id for row in rows}
    arrived = Counter(arrival.webhook_id for arrival in receiver.arrivals)
    assert set(arrived) == planned, "every planned delivery reached the receiver"
    assert {webhook_id: n for webhook_id, n in arrived.items() if n > 1} == {in_flight: 2}
    repeats = [arrival for arrival in receiver.arrivals if arrival.webhook_id == in_flight]
    assert repeats[0].path == repeats[1].path and repeats[0].body == repeats[1].body, "the same sending"
    by_id = {row.public_id: row for row in rows}
    for arrival in receiver.arrivals:
        destination = receiver.base_url + arrival.path
        assert by_id[arrival.webhook_id].destination == destination
        body = Webhook(secrets[destination]).verify(arrival.body, arrival.headers)
        assert body == json.loads(arrival.body) and body["delivery_id"] == arrival.webhook_id
    assert by_id[in_flight].attempts == 2 and all(
        row.attempts == 1 for row in rows if row.public_id != in_flight
    )

    with sessions() as session:
        delivered = Counter(
            event.detail["delivery"]
            for event in session.scalars(select(AuditEvent).where(AuditEvent.action == "alert.delivered"))
        )
        matches = session.scalars(select(AlertMatch).where(AlertMatch.saved_search_id.in_(search_ids))).all()
    assert {public_id: delivered[public_id] for public_id in planned} == dict.fromkeys(planned, 1)
    assert len(matches) == 3, "the need found once by each search"
    taken = Counter((row.destination, match_id) for row in rows for match_id in row.match_ids)
    assert set(taken.values()) == {1}, "no match planned into two deliveries to one destination"
    assert {row.destination for row in rows} == set(secrets)
    assert "Found stale locks: alert-round" in log.read_text(), "the killed worker's round lock, cleared"
    engine.dispose()
