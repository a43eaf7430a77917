"""Signing in with e-mail and password, and changing a password, with failures throttled
(service/accounts/throttle.py) per account and per client address."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from service.accounts import repository
from service.accounts.passwords import (
    PasswordProblem,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from service.accounts.principals import actor_of
from service.accounts.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, account_key, address_key, locked_until
from service.audit.service import record_event
from service.models import SignInFailure, User

OLDEST_COUNTED = max(ACCOUNT_LIMIT.window, ADDRESS_LIMIT.window)


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None  # signed in
    locked_until: datetime | None = None  # refused without looking at the password


@dataclass(frozen=True)
class _Keys:
    account: str
    address: str


def _keys(email: str, address: str) -> _Keys:
    return _Keys(account_key(email), address_key(address))


def _lock(session: Session, keys: _Keys, now: datetime) -> datetime | None:
    by_account, by_address = repository.failure_times(
        session, account_key=keys.account, address_key=keys.address, since=now - OLDEST_COUNTED
    )
    locks = [
        lock
        for lock in (
            locked_until(by_account, now, ACCOUNT_LIMIT),
            locked_until(by_address, now, ADDRESS_LIMIT),
        )
        if lock is not None
    ]
    return max(locks, default=None)


def _fail(session: Session, keys: _Keys, now: datetime) -> datetime | None:
    """Count a failure (and forget those too old to count); the lock it brings about, if any."""
    repository.add(
        session, SignInFailure(occurred_at=now, account_key=keys.account, address_key=keys.address)
    )
    repository.forget_failures(session, before=now - OLDEST_COUNTED)
    session.commit()
    return _lock(session, keys, now)


def sign_in(*, session: Session, email: str, password: str, address: str, now: datetime) -> SignInResult:
    """The person whose e-mail and password these are. A wrong password, an unknown address, a disabled
    account and one without a password yet are all refused alike, in the same time."""
    keys = _keys(email, address)
    lock = _lock(session, keys, now)
    if lock is not None:
        return SignInResult(locked_until=lock)
    user = repository.user_by_email(session, email.strip().lower())
    usable = user if user is not None and user.disabled_at is None and user.password_hash else None
    # Without a usable account the password is checked against a hash nobody knows: the same work.
    if not verify_password(usable.password_hash if usable else None, password) or usable is None:
        return SignInResult(locked_until=_fail(session, keys, now))
    repository.forget_failures(session, account_key=keys.account)
    if usable.password_hash and needs_rehash(usable.password_hash):
        usable.password_hash = hash_password(password)
    session.commit()
    return SignInResult(user=usable)


ChangeProblem = PasswordProblem | Literal["wrong_current", "locked"]


@dataclass(frozen=True)
class PasswordChange:
    problem: ChangeProblem | None = None
    locked_until: datetime | None = None
    sessions_ended: int = 0


def change_password(
    *,
    session: Session,
    user: User,
    current: str,
    new: str,
    repeated: str,
    address: str,
    keep_session_id: int,
    now: datetime,
) -> PasswordChange:
    """A new password for a signed-in person who knows the current one (a wrong one counts as a failed
    sign-in); their other sessions end, the one they changed it in stays."""
    keys = _keys(user.email, address)
    lock = _lock(session, keys, now)
    if lock is not None:
        return PasswordChange(problem="locked", locked_until=lock)
    if not verify_password(user.password_hash, current):
        lock = _fail(session, keys, now)
        return PasswordChange(problem="locked" if lock else "wrong_current", locked_until=lock)
    problem = password_problem(new, repeated=repeated, email=user.email)
    if problem:
        return PasswordChange(problem=problem)
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    ended = repository.revoke_sessions(session, user.id, now, keep=keep_session_id)
    record_event(
        session,
        actor=actor_of(user),
        action="user.password_changed",
        subject_kind="user",
        subject_id=user.id,
        detail={"sessions_ended": ended},
    )
    session.commit()
    return PasswordChange(sessions_ended=ended)
