"""Planning and sending deliveries on a real database: a due search's new matches are planned once per
channel and destination; a digest waits for its period; a failed sending is tried again with growing
pauses, dead-lettered after a day or at once when it cannot succeed; of two processes one sends.

The channel here stands in for an SMTP server or a receiver (the real channels have their own tests):
it only says whether a sending went through."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import deliveries, service
from service.alerts.channels import DeliveryError
from service.alerts.schemas import SavedSearchFields
from service.models import AlertDelivery, AlertMatch, AuditEvent, SavedSearch
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate
from tests.service.alerts.conftest import Demo

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
TO = "https://mottak.example.no/innomatch"
LEASE = timedelta(minutes=5)


class Channel:
    """Answers each sending with the next outcome given: None for delivered, or an error."""

    def __init__(self, *outcomes: DeliveryError | None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[tuple[str, list[int]]] = []

    def __call__(
        self, session: Session, delivery: AlertDelivery, search: SavedSearch, matches: Sequence[AlertMatch]
    ) -> None:
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome
        self.sent.append((delivery.public_id, [match.id for match in matches]))


def _search(session: Session, indexes: object, frequency: str) -> SavedSearch:
    token = tokens.create(
        session=session, token_in=TokenCreate(name="alerts", role="staff"), created_by="test"
    )
    owner = Principal(role="staff", actor="alerts staff", token_id=token.id)
    fields = SavedSearchFields(
        name=f"Vann {frequency}",
        kind="new_needs",
        filters={"county": "18"},
        frequency=frequency,
        channels=["webhook"],
    )
    return service.create(session=session, indexes=indexes, fields=fields, caller=owner)  # type: ignore[arg-type]


def _found(session: Session, search: SavedSearch, *record_ids: int) -> list[AlertMatch]:
    matches = [
        AlertMatch(
            saved_search_id=search.id, record_kind="need", record_id=str(i), title=f"Behov {i}", found_at=NOW
        )
        for i in record_ids
    ]
    session.add_all(matches)
    session.commit()
    return matches


def _plan(session: Session, now: datetime) -> list[AlertDelivery]:
    return deliveries.plan_deliveries(session, now=now, destinations={"webhook": lambda _s, _search: [TO]})


def test_a_due_search_is_planned_once_and_a_digest_waits_for_its_period(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        now_search = _search(session, indexes, "immediately")
        daily = _search(session, indexes, "daily")
        first = _found(session, now_search, 1, 2)
        _found(session, daily, 3)
        planned = _plan(session, NOW)
        mine = [d for d in planned if d.saved_search_id == now_search.id]
        assert [(d.channel, d.destination, d.match_ids) for d in mine] == [
            ("webhook", TO, [m.id for m in first])
        ]
        notified = session.scalars(
            select(AlertMatch.notified_at).where(AlertMatch.id.in_([m.id for m in first]))
        )
        assert all(when is not None for when in notified)
        assert not [d for d in _plan(session, NOW) if d.saved_search_id == now_search.id], "planned once"
        # The daily search was sent its first digest with the immediate one; its next waits a day.
        _found(session, daily, 4)
        assert not [d for d in _plan(session, NOW + timedelta(hours=23)) if d.saved_search_id == daily.id]
        later = [d for d in _plan(session, NOW + timedelta(days=1)) if d.saved_search_id == daily.id]
        assert len(later) == 1 and len(later[0].match_ids) == 1
        notified = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "alert.notified", AuditEvent.subject_id == str(now_search.id)
            )
        ).all()
        assert [event.detail["records"] for event in notified] == [["need 1", "need 2"]]


def test_a_failed_sending_is_tried_again_later_then_dead_lettered(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        search = _search(session, indexes, "immediately")
        _found(session, search, 11)
        [delivery] = [d for d in _plan(session, NOW) if d.saved_search_id == search.id]
        down = DeliveryError("connection refused")
        channel = Channel(down, down, None)

        def send(at: datetime) -> str:
            return deliveries.send_delivery(
                session, delivery.id, now=at, senders={"webhook": channel}, lease=LEASE
            )

        assert send(NOW) == "pending" and delivery.attempts == 1
        assert (
            delivery.next_attempt_at == NOW + timedelta(minutes=1)
            and delivery.last_error == "connection refused"
        )
        assert send(NOW + timedelta(seconds=30)) == "pending" and delivery.attempts == 1, "not due yet"
        assert send(NOW + timedelta(minutes=1)) == "pending" and delivery.attempts == 2
        assert delivery.next_attempt_at == NOW + timedelta(minutes=3)
        assert send(NOW + timedelta(minutes=3)) == "sent" and channel.sent == [
            (delivery.public_id, delivery.match_ids)
        ]
        assert send(NOW + timedelta(minutes=9)) == "sent" and len(channel.sent) == 1, "sent once"

        _found(session, search, 12)
        [refused] = [d for d in _plan(session, NOW + timedelta(hours=1)) if d.saved_search_id == search.id]
        outcome = deliveries.send_delivery(
            session,
            refused.id,
            now=NOW + timedelta(hours=1),
            senders={"webhook": Channel(DeliveryError("550 no such mailbox", permanent=True))},
            lease=LEASE,
        )
        assert outcome == "dead" and refused.attempts == 1

        _found(session, search, 13)
        [stubborn] = [d for d in _plan(session, NOW + timedelta(hours=2)) if d.saved_search_id == search.id]
        always_down = Channel(*[down] * 20)
        at = NOW + timedelta(hours=2)
        while (
            status := deliveries.send_delivery(
                session, stubborn.id, now=at, senders={"webhook": always_down}, lease=LEASE
            )
        ) == "pending":
            at = stubborn.next_attempt_at
        assert status == "dead" and at - stubborn.created_at <= timedelta(days=1)
        assert stubborn.attempts == 11, "1, 2, 4 ... 512 minutes, then a day has passed"
        actions = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.subject_id == str(search.id), AuditEvent.action.like("alert.%")
            )
        ).all()
        assert actions.count("alert.delivered") == 1 and actions.count("alert.dead_lettered") == 2


def test_of_two_processes_one_sends(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as first, sessions() as second:
        search = _search(first, indexes, "immediately")
        _found(first, search, 21)
        [delivery] = [d for d in _plan(first, NOW) if d.saved_search_id == search.id]
        theirs = second.get(AlertDelivery, delivery.id)
        assert theirs is not None and theirs.attempts == 0
        second.commit()
        channel = Channel(None)
        assert (
            deliveries.send_delivery(first, delivery.id, now=NOW, senders={"webhook": channel}, lease=LEASE)
            == "sent"
        )
        assert not deliveries.repository.claim_delivery(second, theirs, lease_until=NOW + LEASE)
        assert len(channel.sent) == 1


@pytest.mark.parametrize(
    ("frequency", "hours", "due"), [("immediately", 0, True), ("daily", 23, False), ("weekly", 24 * 7, True)]
)
def test_due_by_frequency(frequency: str, hours: int, due: bool) -> None:
    search = SavedSearch(frequency=frequency, last_delivered_at=NOW)
    assert deliveries.is_due(search, NOW + timedelta(hours=hours)) is due
    assert deliveries.is_due(SavedSearch(frequency=frequency, last_delivered_at=None), NOW)


def test_matches_another_round_planned_meanwhile_are_not_planned_again(demo: Demo) -> None:
    """Two rounds may overlap once after a stale round lock was cleared: the second to mark the matches
    notified plans nothing, and keeps nothing of its plan."""
    sessions, indexes = demo
    with sessions() as session, sessions() as other_round:
        search = _search(session, indexes, "immediately")
        found = _found(session, search, 31)

        def planned_meanwhile(_session: Session, planning: SavedSearch) -> list[str]:
            if planning.id == search.id:
                assert deliveries.repository.mark_notified(other_round, [m.id for m in found], NOW)
                other_round.commit()
            return [TO]

        assert deliveries.plan_deliveries(session, now=NOW, destinations={"webhook": planned_meanwhile}) == []
        assert not session.scalars(
            select(AlertDelivery).where(AlertDelivery.saved_search_id == search.id)
        ).all()
        assert not deliveries.repository.mark_notified(session, [found[0].id], NOW), "taken already"
