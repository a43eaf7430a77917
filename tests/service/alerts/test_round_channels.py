"""The whole alert round (`run_round` on the service's own channels, `alert_work`) against a real SMTP
server (aiosmtpd) and a real webhook receiver (uvicorn): a supplier follows the needs for their
solution by e-mail and webhook, an officer's new need matches it, and the round sends exactly one
e-mail and one signed webhook; nothing more after. A receiver that is down, too slow, or answers 500
keeps its delivery pending with the error, and a later round, once it is due, sends it once."""

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from service.alerts import service as saved_searches
from service.alerts.jobs import AlertWork, run_round
from service.alerts.work import alert_work
from service.config import Settings
from service.db import utc_now
from service.models import AlertDelivery, AuditEvent, Solution
from tests.service.alerts.conftest import Demo
from tests.support.alerts import Follower, follow_solution, need_like, published_solutions
from tests.support.servers import free_port
from tests.support.smtp import Collecting
from tests.support.webhook_receiver import Answer, Arrival, Receiver, webhook_receiver

BASE = "https://innomatch.example"
LATER = timedelta(minutes=2)  # past a first failure's retry (deliveries.FIRST_RETRY, one minute)


@dataclass
class Scene:
    """One test's round and what it looks at: its SMTP server, its receiver, its follower."""

    work: AlertWork
    smtp: Collecting
    solution: Solution


@pytest.fixture
def scene(demo: Demo, tmp_path: Path, smtp_server: tuple[Collecting, int]) -> Iterator[Scene]:
    sessions, indexes = demo
    handler, port = smtp_server
    settings = Settings(
        data_dir=tmp_path / "data",
        seed="none",
        public_base_url=BASE,
        smtp_url=f"smtp://127.0.0.1:{port}",
        webhook_allow_private=True,  # the receiver is on 127.0.0.1, over http
        webhook_timeout=1.0,
    )
    with sessions() as session:
        [solution] = published_solutions(session, 1)
        session.expunge(solution)
    yield Scene(alert_work(settings, sessions, indexes), handler, solution)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def follow(demo: Demo, scene: Scene) -> Iterator[Any]:
    """Makes the test's follower; their search is deleted after the test, so that it does not follow
    the next test's need (every test's need is in the words of the same solution)."""
    sessions, indexes = demo
    made: list[Follower] = []

    def make(name: str, url: str) -> Follower:
        with sessions() as session:
            follower = follow_solution(session, indexes, scene.solution, name=name, webhook_urls=[url])
        made.append(follower)
        return follower

    yield make
    with sessions() as session:
        for follower in made:
            saved_searches.delete(session=session, search_id=follower.search.id, caller=follower.caller)


def _new_need(demo: Demo, scene: Scene) -> int:
    sessions, indexes = demo
    with sessions() as session:
        return need_like(session, indexes, scene.solution).id


def _round(scene: Scene, *, later: timedelta = timedelta(0)) -> None:
    run_round(replace(scene.work, clock=lambda: utc_now() + later) if later else scene.work)


def _deliveries(demo: Demo, follower: Follower) -> dict[str, AlertDelivery]:
    """The follower's deliveries by channel."""
    sessions, _indexes = demo
    with sessions() as session:
        rows = session.scalars(
            select(AlertDelivery).where(AlertDelivery.saved_search_id == follower.search.id)
        ).all()
    by_channel = {row.channel: row for row in rows}
    assert len(by_channel) == len(rows) == 2, "one e-mail and one webhook delivery"
    return by_channel


def _verified(follower: Follower, arrival: Arrival) -> dict[str, Any]:
    """The body, if the signature verifies with the endpoint's secret (standardwebhooks raises if not)."""
    body: dict[str, Any] = Webhook(follower.endpoints[0].secret).verify(arrival.body, arrival.headers)
    return body


def test_a_new_need_sends_one_email_and_one_signed_webhook_and_a_second_round_nothing(
    demo: Demo, scene: Scene, receiver: Receiver, follow: Any
) -> None:
    follower = follow("Lekkasjer i Bodø", receiver.script("/hooks/first"))
    need_id = _new_need(demo, scene)

    _round(scene)

    [mail] = scene.smtp.mails_to(follower.email)
    assert "Lekkasjer i Bodø" in str(mail["Subject"])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"{BASE}/needs/{need_id}" in text and scene.solution.title in text
    [arrival] = receiver.at("/hooks/first")
    body = _verified(follower, arrival)
    assert body["saved_search"]["name"] == "Lekkasjer i Bodø"
    assert [(m["record_kind"], m["record_id"], m["url"]) for m in body["matches"]] == [
        ("need", str(need_id), f"{BASE}/needs/{need_id}")
    ]
    assert json.loads(arrival.body) == body
    sent = _deliveries(demo, follower)
    assert {channel: row.status for channel, row in sent.items()} == {"email": "sent", "webhook": "sent"}
    assert arrival.webhook_id == sent["webhook"].public_id == body["delivery_id"]
    assert mail["Message-ID"] == f"<{sent['email'].public_id}@innomatch.example>"

    _round(scene)
    _round(scene, later=timedelta(hours=1))
    assert len(scene.smtp.mails_to(follower.email)) == 1 and len(receiver.at("/hooks/first")) == 1
    with demo[0]() as session:
        delivered = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "alert.delivered", AuditEvent.subject_id == str(follower.search.id)
            )
        ).all()
    assert sorted(event.detail["channel"] for event in delivered) == ["email", "webhook"]


def test_a_receiver_that_is_down_gets_the_webhook_once_when_it_is_up_and_the_retry_due(
    demo: Demo, scene: Scene, follow: Any
) -> None:
    port = free_port()  # nothing listens there yet: connection refused
    follower = follow("Når mottakeren er nede", f"http://127.0.0.1:{port}/hooks/down")
    _new_need(demo, scene)

    _round(scene)

    webhook = _deliveries(demo, follower)["webhook"]
    assert webhook.status == "pending" and webhook.attempts == 1
    assert webhook.last_error is not None and "could not connect" in webhook.last_error
    assert len(scene.smtp.mails_to(follower.email)) == 1, "the e-mail went regardless"
    with webhook_receiver(port=port) as receiver:
        _round(scene)
        assert receiver.at("/hooks/down") == [], "not due again yet"
        _round(scene, later=LATER)
        [arrival] = receiver.at("/hooks/down")
        assert _verified(follower, arrival)["delivery_id"] == webhook.public_id
        _round(scene, later=LATER * 10)
        assert len(receiver.arrivals) == 1
    after = _deliveries(demo, follower)
    assert after["webhook"].status == "sent" and after["webhook"].attempts == 2
    assert after["webhook"].last_error is None
    assert len(scene.smtp.mails_to(follower.email)) == 1, "a webhook's retry sends no second e-mail"


def test_a_receiver_slower_than_the_timeout_is_tried_again_and_sent_once_when_it_answers_in_time(
    demo: Demo, scene: Scene, receiver: Receiver, follow: Any
) -> None:
    url = receiver.script("/hooks/slow", Answer(204, delay=3.0), Answer(204))  # the timeout is 1 s
    follower = follow("Når mottakeren er treg", url)
    _new_need(demo, scene)

    _round(scene)

    webhook = _deliveries(demo, follower)["webhook"]
    assert webhook.status == "pending" and webhook.last_error is not None
    assert "Timeout" in webhook.last_error
    _round(scene, later=LATER)
    assert _deliveries(demo, follower)["webhook"].status == "sent"
    first, second = receiver.at("/hooks/slow")
    assert first.webhook_id == second.webhook_id == webhook.public_id, "the same delivery, tried again"
    _round(scene, later=LATER * 10)
    assert len(receiver.at("/hooks/slow")) == 2


def test_a_receiver_answering_500_then_200_gets_the_same_delivery_twice_and_counts_one(
    demo: Demo, scene: Scene, receiver: Receiver, follow: Any
) -> None:
    follower = follow("Når mottakeren svarer 500", receiver.script("/hooks/flaky", Answer(500), Answer(200)))
    _new_need(demo, scene)

    _round(scene)

    webhook = _deliveries(demo, follower)["webhook"]
    assert webhook.status == "pending" and webhook.last_error is not None
    assert "answered 500" in webhook.last_error
    _round(scene, later=LATER)
    _round(scene, later=LATER * 10)
    after = _deliveries(demo, follower)["webhook"]
    assert after.status == "sent" and after.attempts == 2 and after.last_error is None
    arrivals = receiver.at("/hooks/flaky")
    assert len(arrivals) == 2 and {arrival.webhook_id for arrival in arrivals} == {webhook.public_id}
    assert [_verified(follower, arrival) for arrival in arrivals] == [_verified(follower, arrivals[0])] * 2
