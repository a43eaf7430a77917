"""Accounts on a real database: invitations, sign-in with throttling, sessions that expire and end,
password changes, disabling; each with the clock passed in, so a window can pass without waiting."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.accounts import invites, sessions, sign_in, users
from service.accounts.schemas import UserCreate
from service.accounts.sessions import SessionPolicy
from service.accounts.throttle import ACCOUNT_LIMIT
from service.db import make_engine, make_session_factory
from service.errors import ConflictError, FieldErrors
from service.models import AuditEvent, SignInFailure
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
EMAIL = "kari.nordmann@oslo.kommune.no"
PASSWORD = "korrekt hest batteri stift"
OFFICE = "192.0.2.10"
POLICY = SessionPolicy(idle=timedelta(hours=2), lifetime=timedelta(hours=12))
OFFICER = {"email": "Kari.Nordmann@Oslo.Kommune.no", "name": "Kari Nordmann", "role": "officer"}


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as opened:
        yield opened
    engine.dispose()


def _invited(session: Session, **fields: object) -> str:
    user_in = UserCreate.model_validate({**OFFICER, "municipality_number": "0301", **fields})
    _user, secret = users.add(
        session=session, user_in=user_in, created_by="test", invite_valid_for=timedelta(hours=72), now=NOW
    )
    return secret


def _with_password(session: Session) -> None:
    accepted = invites.accept(
        session=session, secret=_invited(session), password=PASSWORD, repeated=PASSWORD, now=NOW
    )
    assert accepted.user is not None


def test_an_account_is_bound_like_a_token_and_its_email_is_lowercased(session: Session) -> None:
    _invited(session)
    assert users.get_by_email(session=session, email=EMAIL.upper()).email == EMAIL
    with pytest.raises(ConflictError, match="exists already"):
        _invited(session)
    with pytest.raises(FieldErrors, match="unknown municipality number '9999'"):
        _invited(session, email="ola@example.no", municipality_number="9999")
    with pytest.raises(FieldErrors, match="supplier 4242 does not exist"):
        _invited(session, email="per@example.no", role="supplier", municipality_number=None, supplier_id=4242)
    with pytest.raises(ValueError, match="an officer account needs the officer's municipality_number"):
        UserCreate.model_validate(OFFICER)


def test_an_invitation_sets_the_password_once(session: Session) -> None:
    secret = _invited(session)
    assert invites.opened(session=session, secret=secret, now=NOW).state == "valid"
    short = invites.accept(session=session, secret=secret, password="kort", repeated="kort", now=NOW)
    assert short.problem == "too_short" and short.user is None
    assert invites.opened(session=session, secret=secret, now=NOW).state == "valid"  # nothing used up
    accepted = invites.accept(session=session, secret=secret, password=PASSWORD, repeated=PASSWORD, now=NOW)
    assert accepted.user is not None and accepted.user.password_hash.startswith("$argon2id$")  # type: ignore[union-attr]
    again = invites.accept(session=session, secret=secret, password=PASSWORD, repeated=PASSWORD, now=NOW)
    assert again.state == "used" and again.user is None
    assert invites.opened(session=session, secret="not-a-link", now=NOW).state == "unknown"


def test_an_invitation_expires_and_a_new_one_replaces_it(session: Session) -> None:
    first = _invited(session)
    later = NOW + timedelta(hours=72)
    assert invites.opened(session=session, secret=first, now=later - timedelta(seconds=1)).state == "valid"
    assert invites.opened(session=session, secret=first, now=later).state == "expired"
    _user, second = users.reinvite(
        session=session, email=EMAIL, created_by="test", valid_for=timedelta(hours=72), now=later
    )
    assert invites.opened(session=session, secret=first, now=later).state == "unknown"
    assert invites.opened(session=session, secret=second, now=later).state == "valid"


def test_five_wrong_passwords_lock_the_account_until_the_window_passes(session: Session) -> None:
    _with_password(session)
    moments = [NOW + timedelta(minutes=n) for n in range(ACCOUNT_LIMIT.failures)]
    results = [
        sign_in.sign_in(session=session, email=EMAIL, password="feil passord her", address=OFFICE, now=moment)
        for moment in moments
    ]
    assert [result.locked_until is not None for result in results] == [False] * 4 + [True]
    assert all(result.user is None for result in results)
    lifted = moments[0] + ACCOUNT_LIMIT.window
    right = sign_in.sign_in(session=session, email=EMAIL, password=PASSWORD, address=OFFICE, now=moments[-1])
    assert right.user is None and right.locked_until == lifted  # even the right password
    elsewhere = sign_in.sign_in(
        session=session, email=EMAIL, password=PASSWORD, address="198.51.100.7", now=moments[-1]
    )
    assert elsewhere.user is None, "the lock is on the account, from any address"
    assert sign_in.sign_in(session=session, email=EMAIL, password=PASSWORD, address=OFFICE, now=lifted).user
    assert session.scalar(select(func.count()).select_from(SignInFailure)) == 0, (
        "success forgets the account's failures"
    )


def test_an_unknown_address_is_refused_and_locked_alike(session: Session) -> None:
    results = [
        sign_in.sign_in(
            session=session, email="nobody@example.no", password=PASSWORD, address=OFFICE, now=NOW
        )
        for _ in range(ACCOUNT_LIMIT.failures)
    ]
    assert [result.locked_until is not None for result in results] == [False] * 4 + [True]
    assert all(result.user is None for result in results)


def test_a_session_ends_when_idle_after_its_lifetime_at_sign_out(session: Session) -> None:
    _with_password(session)
    user = users.get_by_email(session=session, email=EMAIL)
    secret = sessions.start(session=session, user=user, now=NOW)

    def active(at: datetime) -> bool:
        return sessions.find_active(session=session, secret=secret, policy=POLICY, now=at) is not None

    assert active(NOW + timedelta(hours=1, minutes=59))  # seen: the idle time starts again
    assert active(NOW + timedelta(hours=3, minutes=58))
    assert not active(NOW + timedelta(hours=6))  # two hours without a request
    busy = sessions.start(session=session, user=user, now=NOW)
    for hour in range(1, 12):
        assert sessions.find_active(
            session=session, secret=busy, policy=POLICY, now=NOW + timedelta(hours=hour)
        )
    assert not sessions.find_active(
        session=session, secret=busy, policy=POLICY, now=NOW + timedelta(hours=12)
    )
    ended = sessions.start(session=session, user=user, now=NOW)
    sessions.end(session=session, secret=ended, now=NOW)
    assert not sessions.find_active(session=session, secret=ended, policy=POLICY, now=NOW)


def test_a_password_change_ends_the_other_sessions(session: Session) -> None:
    _with_password(session)
    user = users.get_by_email(session=session, email=EMAIL)
    here, there = (sessions.start(session=session, user=user, now=NOW) for _ in range(2))
    kept = sessions.find_active(session=session, secret=here, policy=POLICY, now=NOW)
    assert kept is not None
    new = "en helt annen lang setning"
    wrong = sign_in.change_password(
        session=session,
        user=user,
        current="ikke det gamle",
        new=new,
        repeated=new,
        address=OFFICE,
        keep_session_id=kept.session_id,
        now=NOW,
    )
    assert wrong.problem == "wrong_current"
    changed = sign_in.change_password(
        session=session,
        user=user,
        current=PASSWORD,
        new=new,
        repeated=new,
        address=OFFICE,
        keep_session_id=kept.session_id,
        now=NOW,
    )
    assert changed.problem is None and changed.sessions_ended == 1
    assert sessions.find_active(session=session, secret=here, policy=POLICY, now=NOW)
    assert not sessions.find_active(session=session, secret=there, policy=POLICY, now=NOW)
    assert sign_in.sign_in(session=session, email=EMAIL, password=new, address=OFFICE, now=NOW).user


def test_disabling_ends_sessions_and_revokes_the_persons_tokens(session: Session) -> None:
    _with_password(session)
    user = users.get_by_email(session=session, email=EMAIL)
    secret = sessions.start(session=session, user=user, now=NOW)
    token_in = TokenCreate(name="import", role="officer", municipality_number="0301")
    own = tokens.create(session=session, token_in=token_in, created_by="Kari", owner_user_id=user.id)
    others = tokens.create(session=session, token_in=token_in, created_by="admin")
    done = users.disable(session=session, email=EMAIL, disabled_by="test", now=NOW)
    assert (done.sessions_ended, done.tokens_revoked) == (1, 1)
    assert not sessions.find_active(session=session, secret=secret, policy=POLICY, now=NOW)
    assert tokens.find_active(session=session, secret=own.token) is None
    assert tokens.find_active(session=session, secret=others.token) is not None
    assert (
        sign_in.sign_in(session=session, email=EMAIL, password=PASSWORD, address=OFFICE, now=NOW).user is None
    )
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.subject_kind == "user")))
    assert actions == {"user.created", "user.invited", "user.password_set", "user.disabled"}
