"""From found matches to sendings: which searches are due, what each channel is sent, and what a
failed sending does next (docs/alerts.md, "Deliveries").

Planning writes the deliveries and marks their matches notified in one transaction, so a match is
planned once; marking is conditional (only matches not yet notified), so a round running beside
another, as after a stale round lock was cleared, plans nothing twice. Sending happens outside any
transaction; the delivery is marked sent after. A process killed in between sends it again with the
same id: at least once, never lost, and a receiver that keys on the id sees the repeat as one.
"""

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.alerts import repository
from service.alerts.channels import DeliveryError
from service.audit.service import record_event
from service.models import AlertDelivery, AlertMatch, SavedSearch

PERIODS = {"immediately": timedelta(0), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
PUSHED_CHANNELS = ("email", "webhook")  # the feed and the notifications page read the matches
FIRST_RETRY = timedelta(minutes=1)
GIVE_UP_AFTER = timedelta(days=1)  # then the delivery is dead-lettered, for its owner to see
MAX_ERROR_LENGTH = 1000

# channel -> where its deliveries go for a search: e-mail addresses, webhook URLs
Destinations = Callable[[Session, SavedSearch], Sequence[str]]
# channel -> sends one delivery; raises DeliveryError
Sender = Callable[[Session, AlertDelivery, SavedSearch, Sequence[AlertMatch]], None]


def is_due(search: SavedSearch, now: datetime) -> bool:
    """An immediate search is always due; a digest when its period has passed since the last one."""
    last = search.last_delivered_at
    return last is None or now - last >= PERIODS[search.frequency]


def plan_deliveries(
    session: Session, *, now: datetime, destinations: Mapping[str, Destinations]
) -> list[AlertDelivery]:
    """For each due search with matches not yet notified: a delivery per channel and destination, the
    matches marked notified and the notification in the audit trail, all in one transaction. Nothing
    when another round marked some of these matches first (it planned them)."""
    planned: list[AlertDelivery] = []
    notified: list[int] = []
    destinations_of: dict[tuple[str, int | None, int | None], Sequence[str]] = {}
    for search, matches in repository.unnotified_matches(session):
        if not is_due(search, now):
            continue
        match_ids = [match.id for match in matches]
        for channel in PUSHED_CHANNELS:
            if channel not in search.channels or channel not in destinations:
                continue
            owner = (channel, search.owner_user_id, search.owner_token_id)
            if owner not in destinations_of:  # where a channel goes depends on the owner only
                destinations_of[owner] = destinations[channel](session, search)
            for destination in destinations_of[owner]:
                delivery = AlertDelivery(
                    public_id=f"msg_{uuid.uuid4().hex}",
                    saved_search_id=search.id,
                    channel=channel,
                    destination=destination,
                    match_ids=match_ids,
                    created_at=now,
                    next_attempt_at=now,
                )
                repository.add_delivery(session, delivery)
                planned.append(delivery)
        notified += match_ids
        search.last_delivered_at = now
        record_event(
            session,
            actor="alerts",
            action="alert.notified",
            subject_kind="saved_search",
            subject_id=search.id,
            detail={"records": [f"{m.record_kind} {m.record_id}" for m in matches], "owner": _owner(search)},
        )
    if not repository.mark_notified(session, notified, now):
        session.rollback()
        return []
    session.commit()
    return planned


def send_delivery(
    session: Session, delivery_id: int, *, now: datetime, senders: Mapping[str, Sender], lease: timedelta
) -> str:
    """Send one due delivery and record what happened: sent, tried again later, or dead. Its status.

    The attempt is claimed first (a conditional update, committed): of several processes one sends,
    and a process killed while sending leaves a claim that lapses after `lease` (longer than any
    sending's timeouts: INNOMATCH_ALERTS_CLAIM_LEASE_SECONDS), then it is sent again.
    """
    delivery = repository.get_delivery(session, delivery_id)
    if delivery is None or delivery.status != "pending" or delivery.next_attempt_at > now:
        return delivery.status if delivery else "gone"
    if not repository.claim_delivery(session, delivery, lease_until=now + lease):
        session.rollback()
        return "claimed"
    search = delivery_search(session, delivery)
    matches = repository.matches_by_id(session, delivery.match_ids)
    session.commit()  # no transaction stays open while a slow receiver is waited for
    try:
        senders[delivery.channel](session, delivery, search, matches)
    except DeliveryError as error:
        delivery.last_error = error.message[:MAX_ERROR_LENGTH]
        retry_at = now + FIRST_RETRY * 2 ** (delivery.attempts - 1)
        if error.permanent or retry_at - delivery.created_at > GIVE_UP_AFTER:
            delivery.status = "dead"
            _record(session, delivery, search, "alert.dead_lettered")
        else:
            delivery.next_attempt_at = retry_at
    else:
        delivery.status, delivery.sent_at, delivery.last_error = "sent", now, None
        _record(session, delivery, search, "alert.delivered")
    session.commit()
    return delivery.status


def delivery_search(session: Session, delivery: AlertDelivery) -> SavedSearch:
    search = repository.get_search(session, delivery.saved_search_id)
    if search is None:  # deleted searches take their deliveries with them (cascade)
        raise LookupError(f"saved search {delivery.saved_search_id} of delivery {delivery.id} is gone")
    return search


def _owner(search: SavedSearch) -> str:
    return f"user {search.owner_user_id}" if search.owner_user_id else f"token {search.owner_token_id}"


def _record(session: Session, delivery: AlertDelivery, search: SavedSearch, action: str) -> None:
    """Which search, which records, to whom, by which channel, when (the event's time)."""
    record_event(
        session,
        actor="alerts",
        action=action,
        subject_kind="saved_search",
        subject_id=search.id,
        detail={
            "delivery": delivery.public_id,
            "channel": delivery.channel,
            "to": delivery.destination,
            "match_ids": delivery.match_ids,
            "attempts": delivery.attempts,
            "error": delivery.last_error,
        },
    )
