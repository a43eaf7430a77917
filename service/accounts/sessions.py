"""Browser sessions: started at sign-in, ended by sign-out, revocable, and expiring when idle and
after a fixed lifetime. The cookie holds the secret; the database only its hash."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.accounts import repository
from service.accounts.browser_secrets import hash_secret, new_secret
from service.config import Settings
from service.models import User, UserSession

# Seen-at is written at most once a minute: a page view should not be a database write each time.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta  # ends after this long without a request
    lifetime: timedelta  # ends this long after sign-in, however active

    @classmethod
    def of(cls, settings: Settings) -> "SessionPolicy":
        return cls(
            idle=timedelta(minutes=settings.session_idle_minutes),
            lifetime=timedelta(hours=settings.session_lifetime_hours),
        )


@dataclass(frozen=True)
class ActiveSession:
    session_id: int
    user: User


def start(*, session: Session, user: User, now: datetime) -> str:
    """A new session for `user`; its secret, for the cookie (a new one at every sign-in, so a secret
    planted in a browser before sign-in never becomes a session)."""
    secret = new_secret()
    repository.add(
        session,
        UserSession(user_id=user.id, secret_hash=hash_secret(secret), created_at=now, last_seen_at=now),
    )
    session.commit()
    return secret


def is_open(row: UserSession, user: User, policy: SessionPolicy, now: datetime) -> bool:
    return (
        row.revoked_at is None
        and user.disabled_at is None
        and now < row.created_at + policy.lifetime
        and now < row.last_seen_at + policy.idle
    )


def find_active(
    *, session: Session, secret: str, policy: SessionPolicy, now: datetime
) -> ActiveSession | None:
    """The open session whose cookie holds `secret`, marked as seen now; None for any other secret."""
    found = repository.session_with_user(session, hash_secret(secret))
    if found is None or not is_open(*found, policy, now):
        return None
    row, user = found
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return ActiveSession(session_id=row.id, user=user)


def end(*, session: Session, secret: str, now: datetime) -> None:
    """Sign-out: the session's secret stops working at once."""
    found = repository.session_with_user(session, hash_secret(secret))
    if found is not None and found[0].revoked_at is None:
        found[0].revoked_at = now
        session.commit()
