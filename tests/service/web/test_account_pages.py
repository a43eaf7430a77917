"""Accounts over HTTP on a real server: the invitation link of `innomatch user add`, sign-in and
sign-out, the profile's tokens, CSRF refusals that store nothing, throttling, the cookie's flags, and
a signed-in person under the same rules as a token of their role."""

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from embeddings import Encoder
from service.accounts import users
from service.accounts.browser_secrets import CSRF_HEADER, SESSION_COOKIE
from service.accounts.schemas import UserCreate
from service.cli import app as cli
from service.config import Settings, get_settings
from service.db import make_engine, make_session_factory, utc_now
from service.web.account_pages import router as account_pages_router
from service.web.router import router as pages_router
from tests.api.conftest import SharedServer, row_counts
from tests.support.accounts import PASSWORD, add_person, csrf_token, sign_in, signed_in_client
from tests.support.records import SHORT_NEED
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
OSLO = "0301"
LINK = re.compile(r"^(http://127\.0\.0\.1:\d+)/invite/([\w-]+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("accounts")
    database = directory / "innomatch.sqlite3"
    shutil.copy(sqlite_template, database)
    url = f"sqlite:///{database}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    yield shared
    shared.live.stop()


def _browser(server: SharedServer) -> httpx.Client:
    """A reader who chose English (the pages' Bokmål is checked once, in the test of the sign-in page)."""
    return httpx.Client(base_url=server.live.base_url, timeout=30, cookies={"lang": "en"})


def _supplier(server: SharedServer) -> int:
    with server.client() as admin:
        found = admin.get("/api/v1/suppliers", params={"limit": 1}).json()["items"]
        if found:
            return int(found[0]["id"])
        created = admin.post(
            "/api/v1/suppliers", json={"name": "Lytt AS", "organisation_number": "974760673"}
        )
        return int(created.json()["id"])


def _set_cookie(response: httpx.Response, name: str) -> str:
    [header] = [value for value in response.headers.get_list("set-cookie") if value.startswith(f"{name}=")]
    return header


def test_the_link_of_user_add_sets_a_password_and_signs_in(
    server: SharedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOMATCH_DATABASE_URL", server.database_url)
    monkeypatch.setenv("INNOMATCH_PUBLIC_BASE_URL", server.live.base_url)
    get_settings.cache_clear()
    added = CliRunner().invoke(
        cli,
        [
            "user",
            "add",
            "kari@oslo.kommune.no",
            "--name",
            "Kari Nordmann",
            "--role",
            "officer",
            "--municipality",
            OSLO,
        ],
    )
    get_settings.cache_clear()
    assert added.exit_code == 0, added.output
    [(base, secret)] = LINK.findall(added.output)
    assert base == server.live.base_url
    with _browser(server) as browser:
        invitation = browser.get(f"/invite/{secret}")
        assert invitation.status_code == 200
        assert invitation.headers["cache-control"] == "no-store"
        assert 'autocomplete="new-password"' in invitation.text and "kari@oslo.kommune.no" in invitation.text
        form = {"password": "kort", "repeated": "kort", "csrf_token": csrf_token(invitation)}
        short = browser.post(f"/invite/{secret}", data=form)
        assert short.status_code == 422
        assert re.search(
            r'<p class="ds-validation-message" data-color="danger" id="invite-password-error">Use at least 15 characters',
            short.text,
        )
        assert 'aria-describedby="invite-password-hint invite-password-error"' in short.text
        form = {"password": PASSWORD, "repeated": PASSWORD, "csrf_token": csrf_token(short)}
        accepted = browser.post(f"/invite/{secret}", data=form)
        assert accepted.status_code == 303 and accepted.headers["location"] == "/profile"
        profile = browser.get("/profile")
        assert profile.status_code == 200
        for shown in ("Kari Nordmann", "kari@oslo.kommune.no", "Procurement officer", OSLO, "Sign out"):
            assert shown in profile.text
        again = browser.post(f"/invite/{secret}", data={**form, "csrf_token": csrf_token(profile)})
    assert again.status_code in (403, 410)  # the link is used (and the pre-session cookie is gone)
    with _browser(server) as stranger:
        used = stranger.get(f"/invite/{secret}")
        assert used.status_code == 410 and "already been used" in used.text
        assert stranger.get("/invite/not-a-link-anyone-was-given").status_code == 404


def test_an_expired_invitation_is_refused_with_a_clear_page(server: SharedServer) -> None:
    engine = make_engine(server.database_url)
    with make_session_factory(engine)() as session:
        user_in = UserCreate(email="late@ks.no", name="Sen Person", role="staff")
        _user, secret = users.add(
            session=session,
            user_in=user_in,
            created_by="test",
            invite_valid_for=timedelta(hours=72),
            now=utc_now() - timedelta(hours=73),
        )
    engine.dispose()
    with _browser(server) as browser:
        expired = browser.get(f"/invite/{secret}")
        assert expired.status_code == 410 and "This link has expired" in expired.text
        assert "late@ks.no" not in expired.text


def test_sign_out_ends_the_session_and_its_cookie_no_longer_works(server: SharedServer) -> None:
    add_person(server.database_url, "ola@ks.no", name="Ola Nordmann", role="staff")
    with signed_in_client(server.live.base_url, "ola@ks.no") as browser:
        cookie = browser.cookies[SESSION_COOKIE]
        profile = browser.get("/profile")
        assert "Ola Nordmann" in profile.text
        signed_out = browser.post("/logout", data={"csrf_token": csrf_token(profile)})
        assert signed_out.status_code == 303
    with httpx.Client(
        base_url=server.live.base_url, cookies={SESSION_COOKIE: cookie, "lang": "en"}
    ) as replay:
        gone = replay.get("/profile")
        assert gone.status_code == 303 and gone.headers["location"] == "/login?next=/profile"
        assert "Sign in" in replay.get("/").text


def test_a_person_creates_and_revokes_their_own_token_on_the_profile(server: SharedServer) -> None:
    add_person(
        server.database_url,
        "eva@bodo.kommune.no",
        name="Eva Hansen",
        role="officer",
        municipality_number="1804",
    )
    with signed_in_client(server.live.base_url, "eva@bodo.kommune.no") as browser:
        profile = browser.get("/profile")
        empty = browser.post("/profile/tokens", data={"name": " ", "csrf_token": csrf_token(profile)})
        assert empty.status_code == 422 and 'id="token-name-error"' in empty.text
        created = browser.post(
            "/profile/tokens", data={"name": "Sakssystem", "csrf_token": csrf_token(profile)}
        )
        assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
        [secret] = re.findall(r'<code class="secret">(im_[\w-]+)</code>', created.text)
        with server.client(token=secret) as program:
            need = program.post("/api/v1/needs", json=SHORT_NEED)
            assert need.status_code == 201, need.text
            assert need.json()["municipality_number"] == "1804", "the token has the person's binding"
            elsewhere = program.post("/api/v1/needs", json={**SHORT_NEED, "municipality_number": OSLO})
            assert elsewhere.status_code == 403
        with server.client() as admin:
            listed = admin.get("/api/v1/tokens").json()
            [token] = [item for item in listed if item["prefix"] == secret[:10]]
            assert (token["role"], token["municipality_number"]) == ("officer", "1804")
            audit = admin.get("/api/v1/audit", params={"subject_kind": "api", "limit": 200}).json()["items"]
        assert any(
            event["actor"] == f"Eva Hansen, Sakssystem (officer token {token['id']})" for event in audit
        )
        page = browser.get("/profile")
        assert "Sakssystem" in page.text and secret not in page.text, "the secret is shown once"
        revoked = browser.post(f"/profile/tokens/{token['id']}/revoke", data={"csrf_token": csrf_token(page)})
        assert revoked.status_code == 303
        assert "no longer works" in browser.get(revoked.headers["location"]).text
    with server.client(token=secret) as program:
        assert program.post("/api/v1/needs", json=SHORT_NEED).status_code == 401


def test_nobody_revokes_or_sees_another_persons_token(server: SharedServer) -> None:
    add_person(server.database_url, "per@ks.no", name="Per Staff", role="staff")
    with server.client() as admin:
        others = admin.post("/api/v1/tokens", json={"name": "Someone else", "role": "staff"}).json()
    with signed_in_client(server.live.base_url, "per@ks.no") as browser:
        page = browser.get("/profile")
        assert "Someone else" not in page.text
        refused = browser.post(
            f"/profile/tokens/{others['id']}/revoke", data={"csrf_token": csrf_token(page)}
        )
        assert refused.status_code == 404
    with server.client(token=others["token"]) as still:
        assert still.get("/api/v1/partnerships").status_code == 200


def test_a_form_without_its_csrf_token_is_refused_and_nothing_stored(server: SharedServer) -> None:
    add_person(server.database_url, "nils@ks.no", name="Nils Staff", role="staff")
    with signed_in_client(server.live.base_url, "nils@ks.no") as browser:
        before = row_counts(server.database_url)
        for path, fields in (
            ("/profile/tokens", {"name": "Forged"}),
            ("/profile/password", {"current": PASSWORD, "password": "x" * 20, "repeated": "x" * 20}),
            ("/logout", {}),
        ):
            for token in (None, "0" * 64):
                data = fields if token is None else {**fields, "csrf_token": token}
                refused = browser.post(path, data=data)
                assert refused.status_code == 403, (path, refused.text)
                assert ">Not allowed</h1>" in refused.text and "nothing was saved" in refused.text
        assert row_counts(server.database_url) == before
        assert browser.get("/profile").status_code == 200, "still signed in: the forged sign-out did nothing"
    with _browser(server) as stranger:
        stranger.get("/login")
        assert stranger.post("/login", data={"email": "nils@ks.no", "password": PASSWORD}).status_code == 403
        assert SESSION_COOKIE not in stranger.cookies


def test_every_form_of_the_pages_refuses_a_post_without_its_token(server: SharedServer) -> None:
    """The walk: each POST route of the pages, sent by a signed-in browser without a token."""
    add_person(server.database_url, "walk@ks.no", name="Walk Staff", role="staff")
    routes = [*pages_router.routes, *account_pages_router.routes]
    posts = [route.path for route in routes if "POST" in getattr(route, "methods", ())]
    assert {"/login", "/logout", "/invite/{secret}", "/profile/password", "/profile/tokens"} <= set(posts)
    with signed_in_client(server.live.base_url, "walk@ks.no") as browser:
        for path in posts:
            url = path.format(secret="x", token_id=1)
            assert browser.post(url, data={"name": "x"}).status_code == 403, path


def test_five_wrong_passwords_are_throttled_and_then_the_right_one_too(server: SharedServer) -> None:
    add_person(server.database_url, "guri@ks.no", name="Guri Staff", role="staff")
    with _browser(server) as browser:
        statuses = [sign_in(browser, "guri@ks.no", "feil passord nummer").status_code for _ in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        right = sign_in(browser, "guri@ks.no")
        assert right.status_code == 429
        assert "Too many failed sign-ins. Wait 15 minutes and try again." in right.text
        assert int(right.headers["retry-after"]) == 15 * 60
        assert SESSION_COOKIE not in browser.cookies
        nobody = [sign_in(browser, "nobody@ks.no", "feil passord nummer") for _ in range(5)]
        assert [page.status_code for page in nobody] == statuses, "an unknown address is refused alike"
        assert nobody[-1].text.count("Too many failed sign-ins") == 1


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(server: SharedServer) -> None:
    add_person(server.database_url, "siri@ks.no", name="Siri Staff", role="staff")
    with _browser(server) as browser:
        plain = sign_in(browser, "siri@ks.no")
    cookie = SimpleCookie(_set_cookie(plain, SESSION_COOKIE))[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax" and cookie["path"] == "/"
    assert not cookie["secure"], "over plain http a Secure cookie would never come back"
    assert int(cookie["max-age"]) == 12 * 3600
    # The test's requests come from 127.0.0.1, the proxy uvicorn trusts by default.
    with httpx.Client(
        base_url=server.live.base_url, headers={"X-Forwarded-Proto": "https"}, cookies={"lang": "en"}
    ) as proxied:
        form = proxied.get("/login")
        assert "secure" in _set_cookie(form, "innomatch_presession").lower()
        # A Secure cookie is not sent over plain http: hand it on as the browser behind the proxy would.
        proxied.cookies.set("innomatch_presession", form.cookies["innomatch_presession"])
        secure = proxied.post(
            "/login", data={"email": "siri@ks.no", "password": PASSWORD, "csrf_token": csrf_token(form)}
        )
    assert secure.status_code == 303
    cookie = SimpleCookie(_set_cookie(secure, SESSION_COOKIE))[SESSION_COOKIE]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"].lower() == "lax"


def test_a_session_follows_the_rules_of_a_token_of_its_role(server: SharedServer) -> None:
    add_person(
        server.database_url,
        "tone@oslo.kommune.no",
        name="Tone Officer",
        role="officer",
        municipality_number=OSLO,
    )
    add_person(
        server.database_url,
        "lars@lytt.no",
        name="Lars Supplier",
        role="supplier",
        supplier_id=_supplier(server),
    )
    with signed_in_client(server.live.base_url, "tone@oslo.kommune.no") as officer:
        token = csrf_token(officer.get("/profile"))
        before = row_counts(server.database_url)
        forged = officer.post("/api/v1/needs", json=SHORT_NEED)
        assert forged.status_code == 403 and CSRF_HEADER in forged.json()["detail"]
        assert row_counts(server.database_url) == before, "a cookie without the CSRF header stores nothing"
        need = officer.post("/api/v1/needs", json=SHORT_NEED, headers={CSRF_HEADER: token})
        assert need.status_code == 201, need.text
        assert need.json()["municipality_number"] == OSLO
        elsewhere = officer.post(
            "/api/v1/needs", json={**SHORT_NEED, "municipality_number": "1804"}, headers={CSRF_HEADER: token}
        )
        assert elsewhere.status_code == 403
        assert officer.get(f"/api/v1/needs/{need.json()['id']}").status_code == 200  # reads need no header
    with signed_in_client(server.live.base_url, "lars@lytt.no") as supplier:
        token = csrf_token(supplier.get("/profile"))
        refused = supplier.post("/api/v1/needs", json=SHORT_NEED, headers={CSRF_HEADER: token})
        assert refused.status_code == 403 and "needs an admin, staff or officer" in refused.json()["detail"]
    with server.client() as admin:
        audit = admin.get("/api/v1/audit", params={"subject_kind": "api", "limit": 200}).json()["items"]
    [event] = [
        item for item in audit if item["subject_id"] == "POST /api/v1/needs" and "Tone" in item["actor"]
    ]
    assert re.fullmatch(r"Tone Officer \(officer user \d+\)", event["actor"])


def test_the_sign_in_page_speaks_bokmal_unless_the_reader_chose_english(server: SharedServer) -> None:
    with httpx.Client(base_url=server.live.base_url, timeout=30) as reader:
        page = reader.get("/login")
    assert page.status_code == 200
    assert '<html lang="nb"' in page.text
    assert ">Logg inn</button>" in page.text and 'autocomplete="current-password"' in page.text
    assert "Sign in" not in page.text
    with _browser(server) as reader:
        assert ">Sign in</button>" in reader.get("/login").text
