"""Users: added by an admin with a role and binding, invited, re-invited, disabled, signed out."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.accounts import invites, repository
from service.accounts.schemas import UserBinding, UserCreate
from service.audit.service import record_event
from service.errors import ConflictError, NotFoundError
from service.models import User
from service.references import ReferenceCheck
from service.tokens import service as tokens


def get_by_email(*, session: Session, email: str) -> User:
    user = repository.user_by_email(session, email.strip().lower())
    if user is None:
        raise NotFoundError("User", email)
    return user


def get(*, session: Session, user_id: int) -> User:
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFoundError("User", user_id)
    return user


def listed(*, session: Session) -> Sequence[User]:
    return repository.list_users(session)


def last_sign_ins(*, session: Session) -> dict[int, datetime]:
    """When each user who ever signed in last did, by user id."""
    return repository.last_sign_ins(session)


def add(
    *, session: Session, user_in: UserCreate, created_by: str, invite_valid_for: timedelta, now: datetime
) -> tuple[User, str]:
    """A new user and the secret of their first invitation. Bound, as a token of the role would be, to a
    municipality or supplier that exists (the same checks as service/tokens)."""
    check = ReferenceCheck(session)
    tokens.check_references(check, user_in.model_dump())
    check.raise_if_any()
    if repository.user_by_email(session, user_in.email) is not None:
        raise ConflictError(
            f"An account with the e-mail address {user_in.email} exists already;"
            " `innomatch user invite` gives its holder a new link."
        )
    user = User(**user_in.model_dump(), created_by=created_by, created_at=now)
    repository.add(session, user)
    session.flush()
    binding = {"municipality_number": user.municipality_number, "supplier_id": user.supplier_id}
    record_event(
        session,
        actor=created_by,
        action="user.created",
        subject_kind="user",
        subject_id=user.id,
        detail={"role": user.role, **binding},
    )
    secret = invites.issue(
        session=session, user=user, created_by=created_by, valid_for=invite_valid_for, now=now
    )
    session.commit()
    return user, secret


def reinvite(
    *, session: Session, email: str, created_by: str, valid_for: timedelta, now: datetime
) -> tuple[User, str]:
    """A new link for a user who has not used theirs in time or has forgotten their password; the
    earlier links stop working."""
    user = get_by_email(session=session, email=email)
    if user.disabled_at is not None:
        raise ConflictError(f"The account {user.email} is disabled.")
    secret = invites.issue(session=session, user=user, created_by=created_by, valid_for=valid_for, now=now)
    session.commit()
    return user, secret


@dataclass(frozen=True)
class Disabled:
    user: User
    sessions_ended: int
    tokens_revoked: int


def disable(*, session: Session, email: str, disabled_by: str, now: datetime) -> Disabled:
    """The person can no longer sign in: their sessions end, their own API tokens are revoked and their
    unused invitation links stop working, at once."""
    user = get_by_email(session=session, email=email)
    if user.disabled_at is None:
        user.disabled_at = now
    ended = repository.revoke_sessions(session, user.id, now)
    revoked = tokens.revoke_all_of_owner(session=session, owner_user_id=user.id, revoked_by=disabled_by)
    repository.void_open_invites(session, user.id)
    record_event(
        session,
        actor=disabled_by,
        action="user.disabled",
        subject_kind="user",
        subject_id=user.id,
        detail={"sessions_ended": ended, "tokens_revoked": revoked},
    )
    session.commit()
    return Disabled(user, ended, revoked)


def revoke_sessions(*, session: Session, email: str, revoked_by: str, now: datetime) -> tuple[User, int]:
    """Sign the person out everywhere (a lost laptop); they may sign in again."""
    user = get_by_email(session=session, email=email)
    ended = repository.revoke_sessions(session, user.id, now)
    record_event(
        session,
        actor=revoked_by,
        action="user.sessions_revoked",
        subject_kind="user",
        subject_id=user.id,
        detail={"sessions_ended": ended},
    )
    session.commit()
    return user, ended


def reactivate(*, session: Session, email: str, reactivated_by: str) -> User:
    """A disabled person may sign in again with their password (or a new invitation); the sessions and
    tokens that ended when they were disabled stay ended."""
    user = get_by_email(session=session, email=email)
    if user.disabled_at is not None:
        user.disabled_at = None
        record_event(
            session, actor=reactivated_by, action="user.reactivated", subject_kind="user", subject_id=user.id
        )
        session.commit()
    return user


def change_binding(
    *, session: Session, email: str, binding: UserBinding, changed_by: str
) -> tuple[User, int]:
    """A new role or binding for the person; their sessions follow it at their next request. Their own
    API tokens carry the role they were made with, so they are revoked (how many): a token never keeps
    a role its holder has lost."""
    user = get_by_email(session=session, email=email)
    check = ReferenceCheck(session)
    tokens.check_references(check, binding.model_dump())
    check.raise_if_any()
    before = {
        "role": user.role,
        "municipality_number": user.municipality_number,
        "supplier_id": user.supplier_id,
    }
    after = binding.model_dump()
    if before == after:
        return user, 0
    for field, value in after.items():
        setattr(user, field, value)
    revoked = tokens.revoke_all_of_owner(session=session, owner_user_id=user.id, revoked_by=changed_by)
    record_event(
        session,
        actor=changed_by,
        action="user.role_changed",
        subject_kind="user",
        subject_id=user.id,
        detail={"from": before, "to": after, "tokens_revoked": revoked},
    )
    session.commit()
    return user, revoked
