"""Saved searches that have found something and sent it, made as the service makes them: people save
searches through the API, records arrive through the API, then one evaluation and one delivery round
run in the test's process on the server's database (as `innomatch worker` would).

The round's e-mail channel is the real one (it writes into the server's outbox, no SMTP server being
set) except where a test wants a failure: a sender that raises DeliveryError, as an SMTP server that
refuses or cannot be reached would make the real one raise."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from embeddings import Encoder
from service.accounts.browser_secrets import CSRF_HEADER
from service.alerts.channels import DeliveryError
from service.alerts.deliveries import Sender, plan_deliveries, send_delivery
from service.alerts.evaluation import evaluate
from service.alerts.work import email_destinations, email_sender
from service.config import Settings
from service.db import make_engine, make_session_factory, utc_now
from service.indexing import Indexes
from service.models import AlertDelivery, AlertMatch, SavedSearch
from tests.support.accounts import csrf_token, signed_in_client
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, create

REFUSED = "SMTP 550: 5.1.1 mailbox unavailable"
UNREACHABLE = "the SMTP server could not be reached: [Errno 111] Connection refused"


def save_search(base_url: str, email: str, **fields: object) -> int:
    """A search saved by a signed-in person, as a page's script would save it."""
    with signed_in_client(base_url, email) as person:
        headers = {CSRF_HEADER: csrf_token(person.get("/profile"))}
        body = {"frequency": "immediately", "min_band": "weak", "channels": ["email"], **fields}
        saved = person.post("/api/v1/saved-searches", json=body, headers=headers)
        assert saved.status_code == 201, saved.text
        search_id: int = saved.json()["id"]
        return search_id


@dataclass(frozen=True)
class Outcome:
    """What a search's delivery should meet: None for delivered, else the error its sender raises."""

    search_id: int
    error: DeliveryError | None = None


def _sender(settings: Settings, outcomes: dict[int, DeliveryError | None]) -> Sender:
    real = email_sender(settings)

    def send(
        session: Session, delivery: AlertDelivery, search: SavedSearch, matches: Sequence[AlertMatch]
    ) -> None:
        error = outcomes.get(search.id)
        if error is not None:
            raise error
        real(session, delivery, search, matches)

    return send


def new_records(admin: httpx.Client) -> tuple[int, int]:
    """A leak-detection solution and a water-loss need, new to every saved search: their ids."""
    return create(admin, "solutions", **LEAK_SOLUTION)["id"], create(admin, "needs", **LEAK_NEED)["id"]


def run_round(settings: Settings, encoder: Encoder, index_dir: Path, outcomes: Sequence[Outcome]) -> None:
    """One evaluation and one delivery round on the server's database, each delivery meeting its
    search's outcome once (a retried error stays pending, a permanent one is dead)."""
    engine = make_engine(settings.resolved_database_url)
    try:
        sessions = make_session_factory(engine)
        indexes = Indexes.create(encoder=encoder, index_dir=index_dir, session_factory=sessions)
        indexes.open()
        now = utc_now()
        with sessions() as session:
            evaluate(session, indexes)
            planned = plan_deliveries(session, now=now, destinations={"email": email_destinations})
            send = _sender(settings, {o.search_id: o.error for o in outcomes})
            wanted = {o.search_id for o in outcomes}
            for delivery in planned:
                if delivery.saved_search_id in wanted:
                    send_delivery(
                        session,
                        delivery.id,
                        now=now + timedelta(seconds=1),
                        senders={"email": send},
                        lease=timedelta(seconds=settings.alerts_claim_lease_seconds),
                    )
    finally:
        engine.dispose()


def matches_of(database_url: str, search_id: int) -> list[AlertMatch]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            statement = select(AlertMatch).where(AlertMatch.saved_search_id == search_id)
            found = list(session.scalars(statement))
            session.expunge_all()
            return found
    finally:
        engine.dispose()
