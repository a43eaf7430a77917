"""The channels a round sends by, put together for a running service: where each delivery goes and
how it is sent (docs/alerts.md, "Deliveries")."""

from collections.abc import Sequence
from datetime import timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from service.alerts import repository, webhooks
from service.alerts.channels import DeliveryError, alert_report
from service.alerts.deliveries import Sender
from service.alerts.jobs import AlertWork
from service.alerts.mail import compose_alert_mail, send_mail
from service.alerts.unsubscribe import unsubscribe_url
from service.alerts.webhook_channel import WebhookGone, post_webhook
from service.config import Settings
from service.indexing import Indexes
from service.models import AlertDelivery, AlertMatch, SavedSearch, User


def _owner(session: Session, search: SavedSearch) -> User | None:
    """The person a search's e-mail goes to, while their account is active."""
    user = session.get(User, search.owner_user_id) if search.owner_user_id else None
    return user if user is not None and user.disabled_at is None else None


def email_destinations(session: Session, search: SavedSearch) -> Sequence[str]:
    owner = _owner(session, search)
    return [owner.email] if owner else []


def email_sender(settings: Settings) -> Sender:
    def send(
        session: Session, delivery: AlertDelivery, search: SavedSearch, matches: Sequence[AlertMatch]
    ) -> None:
        owner = _owner(session, search)
        message = compose_alert_mail(
            search,
            matches,
            to=delivery.destination,
            owner_name=owner.name if owner else "",
            base_url=settings.public_base_url,
            delivery_id=delivery.public_id,
            unsubscribe_url=unsubscribe_url(settings, search),
            mail_from=settings.mail_from,
            notices=repository.notices_of_matches(session, matches),
        )
        send_mail(settings, message)

    return send


def webhook_destinations(session: Session, search: SavedSearch) -> Sequence[str]:
    """Every endpoint of the search's owner that still receives: a delivery each."""
    return [endpoint.url for endpoint in repository.active_endpoints_of(session, search)]


def webhook_sender(settings: Settings, client: httpx.Client) -> Sender:
    def send(
        session: Session, delivery: AlertDelivery, search: SavedSearch, matches: Sequence[AlertMatch]
    ) -> None:
        endpoints = [
            e for e in repository.active_endpoints_of(session, search) if e.url == delivery.destination
        ]
        if not endpoints:
            raise DeliveryError("the webhook endpoint was deleted or disabled", permanent=True)
        body = alert_report(
            search,
            matches,
            base_url=settings.public_base_url,
            delivery_id=delivery.public_id,
            notices=repository.notices_of_matches(session, matches),
        )
        try:
            post_webhook(
                client,
                endpoints[0],
                delivery_id=delivery.public_id,
                body=body,
                timeout=settings.webhook_timeout,
                allow_private=settings.webhook_allow_private,
            )
        except WebhookGone as gone:
            webhooks.disable_gone(session, endpoints[0], answer=gone.message)
            raise

    return send


def alert_work(settings: Settings, sessions: sessionmaker[Session], indexes: Indexes) -> AlertWork:
    # Not from the environment: a proxy would route around the webhook addresses' check.
    client = httpx.Client(trust_env=False, follow_redirects=False)
    return AlertWork(
        sessions=sessions,
        indexes=indexes,
        destinations={"email": email_destinations, "webhook": webhook_destinations},
        senders={"email": email_sender(settings), "webhook": webhook_sender(settings, client)},
        lease=timedelta(seconds=settings.alerts_claim_lease_seconds),
    )
