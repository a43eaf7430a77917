"""People with accounts in a test database, and a browser-like HTTP client that signs in as one."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx

from service.accounts import invites, users
from service.accounts.schemas import UserCreate
from service.db import make_engine, make_session_factory, utc_now

PASSWORD = "korrekt hest batteri stift"  # long enough, and nothing else asked of it
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_person(
    database_url: str,
    email: str,
    *,
    name: str,
    role: str,
    password: str | None = PASSWORD,
    **binding: object,
) -> str:
    """A user in the database (as `innomatch user add` makes one); with `password`, its invitation
    used to set it. The invitation's secret."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            user_in = UserCreate.model_validate({"email": email, "name": name, "role": role, **binding})
            _user, secret = users.add(
                session=session,
                user_in=user_in,
                created_by="cli (test operator)",
                invite_valid_for=timedelta(hours=72),
                now=utc_now(),
            )
            if password is not None:
                accepted = invites.accept(
                    session=session, secret=secret, password=password, repeated=password, now=utc_now()
                )
                assert accepted.user is not None, accepted
    finally:
        engine.dispose()
    return secret


def csrf_token(page: httpx.Response) -> str:
    """The CSRF token of the (first) form of a page."""
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url}"
    return found.group(1)


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    """The sign-in form filled in and sent, as a browser would (the client keeps the cookies)."""
    form = client.get("/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(form)})


@contextmanager
def signed_in_client(base_url: str, email: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """Signed in as a reader who chose English (the pages' default Bokmål is tested on its own)."""
    with httpx.Client(base_url=base_url, timeout=30, cookies={"lang": "en"}) as client:
        response = sign_in(client, email, password)
        assert response.status_code == 303, response.text
        yield client
