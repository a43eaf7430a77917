"""All SQL about accounts: users, sessions, invitations and failed sign-ins."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from service.models import SignInFailure, User, UserInvite, UserSession


def add(session: Session, row: User | UserSession | UserInvite | SignInFailure) -> None:
    session.add(row)


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.id)).all()


def last_sign_ins(session: Session) -> dict[int, datetime]:
    """When each user last signed in: the start of their newest session (sessions are kept when they end)."""
    query = select(UserSession.user_id, func.max(UserSession.created_at)).group_by(UserSession.user_id)
    return {user_id: started for user_id, started in session.execute(query)}


def session_with_user(session: Session, secret_hash: str) -> tuple[UserSession, User] | None:
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.secret_hash == secret_hash)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def revoke_sessions(session: Session, user_id: int, now: datetime, *, keep: int | None = None) -> int:
    """Revoke the user's open sessions (all but `keep`); how many were open."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    revoked: int = session.execute(query.values(revoked_at=now)).rowcount  # type: ignore[attr-defined]
    return revoked


def invite_with_user(session: Session, token_hash: str) -> tuple[UserInvite, User] | None:
    row = session.execute(
        select(UserInvite, User)
        .join(User, User.id == UserInvite.user_id)
        .where(UserInvite.token_hash == token_hash)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def use_invite(session: Session, invite_id: int, now: datetime) -> bool:
    """Mark the invitation used, unless it already is (two requests at once: one wins)."""
    query = update(UserInvite).where(UserInvite.id == invite_id, UserInvite.used_at.is_(None))
    used: int = session.execute(query.values(used_at=now)).rowcount  # type: ignore[attr-defined]
    return used == 1


def void_open_invites(session: Session, user_id: int) -> None:
    """Unused invitations of the user stop working (a newer one replaces them, or the user is disabled)."""
    session.execute(delete(UserInvite).where(UserInvite.user_id == user_id, UserInvite.used_at.is_(None)))


def failure_times(
    session: Session, *, account_key: str, address_key: str, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """The moments of failed sign-ins since `since`: for the account key, and for the address key."""

    def moments(condition: ColumnElement[bool]) -> list[datetime]:
        query = select(SignInFailure.occurred_at).where(condition, SignInFailure.occurred_at > since)
        return list(session.scalars(query))

    return (
        moments(SignInFailure.account_key == account_key),
        moments(SignInFailure.address_key == address_key),
    )


def forget_failures(
    session: Session, *, account_key: str | None = None, before: datetime | None = None
) -> None:
    """Remove the failures of an account (it signed in), or all those older than `before` (counted no more)."""
    query = delete(SignInFailure)
    if account_key is not None:
        query = query.where(SignInFailure.account_key == account_key)
    if before is not None:
        query = query.where(SignInFailure.occurred_at < before)
    session.execute(query)
