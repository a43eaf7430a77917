"""Invitations: a one-time link that lets a person set their password, for a new account or to
replace a forgotten password. The link holds the secret; the database only its hash."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from service.accounts import repository
from service.accounts.browser_secrets import hash_secret, new_secret
from service.accounts.passwords import PasswordProblem, hash_password, password_problem
from service.accounts.principals import actor_of
from service.audit.service import record_event
from service.models import User, UserInvite

InviteState = Literal["valid", "unknown", "used", "expired"]


@dataclass(frozen=True)
class OpenedInvite:
    state: InviteState
    user: User | None = None  # only for a valid invitation
    invite: UserInvite | None = None


@dataclass(frozen=True)
class Acceptance:
    state: InviteState
    problem: PasswordProblem | None = None
    user: User | None = None  # the person, when the password was set


def issue(*, session: Session, user: User, created_by: str, valid_for: timedelta, now: datetime) -> str:
    """A new invitation for `user` in the caller's transaction; its secret, for the link. Earlier unused
    links of the user stop working."""
    repository.void_open_invites(session, user.id)
    secret = new_secret()
    expires_at = now + valid_for
    repository.add(
        session,
        UserInvite(
            user_id=user.id,
            token_hash=hash_secret(secret),
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        ),
    )
    record_event(
        session,
        actor=created_by,
        action="user.invited",
        subject_kind="user",
        subject_id=user.id,
        detail={"expires_at": expires_at.isoformat()},
    )
    return secret


def opened(*, session: Session, secret: str, now: datetime) -> OpenedInvite:
    found = repository.invite_with_user(session, hash_secret(secret))
    if found is None or found[1].disabled_at is not None:
        return OpenedInvite("unknown")
    invite, user = found
    if invite.used_at is not None:
        return OpenedInvite("used")
    if now >= invite.expires_at:
        return OpenedInvite("expired")
    return OpenedInvite("valid", user=user, invite=invite)


def accept(*, session: Session, secret: str, password: str, repeated: str, now: datetime) -> Acceptance:
    """Set the password of a valid invitation's account and use the invitation up; a password that
    does not do, or a link that is not valid, changes nothing."""
    invitation = opened(session=session, secret=secret, now=now)
    if invitation.user is None or invitation.invite is None:
        return Acceptance(invitation.state)
    user = invitation.user
    problem = password_problem(password, repeated=repeated, email=user.email)
    if problem:
        return Acceptance("valid", problem=problem)
    if not repository.use_invite(session, invitation.invite.id, now):
        session.rollback()  # another request used it a moment ago
        return Acceptance("used")
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    # A link that replaces a forgotten password ends every session made with the old one.
    repository.revoke_sessions(session, user.id, now)
    record_event(
        session, actor=actor_of(user), action="user.password_set", subject_kind="user", subject_id=user.id
    )
    session.commit()
    return Acceptance("valid", user=user)
