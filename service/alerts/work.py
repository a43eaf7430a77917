"""The channels a round sends by, put together for a running service: where each delivery goes and
how it is sent. The webhook channel joins when its endpoints exist (docs/alerts.md)."""

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from service.alerts.deliveries import Sender
from service.alerts.jobs import AlertWork
from service.alerts.mail import compose_alert_mail, send_mail
from service.alerts.unsubscribe import unsubscribe_url
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
        )
        send_mail(settings, message)

    return send


def alert_work(settings: Settings, sessions: sessionmaker[Session], indexes: Indexes) -> AlertWork:
    return AlertWork(
        sessions=sessions,
        indexes=indexes,
        destinations={"email": email_destinations},
        senders={"email": email_sender(settings)},
    )
