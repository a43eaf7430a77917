"""A person's journey in Chromium: sign in with the form, see the profile, make and revoke a token,
change nothing by mistake, sign out; the account pages pass axe-core's WCAG 2.1 A and AA rules."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import PHONE, axe_violations, page_on
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(sqlite_template, tmp_path_factory.mktemp("browser-accounts"), encoder)
    shared = SharedServer(live=live, database_url=url)
    yield shared
    shared.live.stop()


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_signs_in_makes_a_token_revokes_it_and_signs_out(
    browser: Browser, server: SharedServer
) -> None:
    add_person(
        server.database_url,
        "kari@oslo.kommune.no",
        name="Kari Nordmann",
        role="officer",
        municipality_number="0301",
    )
    with page_on(browser, server.live.base_url) as (page, offsite):
        page.goto("/?lang=en")  # the reader chooses English; Bokmål, the default, is tested on its own
        page.get_by_role("link", name="Sign in").click()
        _sign_in(page, "kari@oslo.kommune.no", PASSWORD)
        expect(page).to_have_url(re.compile(r"/profile$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
        expect(page.locator("dl")).to_contain_text("Kari Nordmann")
        cookie = next(c for c in page.context.cookies() if c["name"] == "innomatch_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert page.evaluate("() => document.cookie").find("innomatch_session") == -1, "no script reads it"
        page.get_by_label("Name of a new token").fill("Sakssystem")
        page.get_by_role("button", name="Create token").click()
        expect(page.locator("code.secret")).to_contain_text("im_")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Revoke the token Sakssystem").click()
        expect(page.get_by_role("status")).to_contain_text("no longer works")
        expect(page.get_by_text("You have no tokens.")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
        page.goto("/profile")
        expect(page).to_have_url(re.compile(r"/login\?next=/profile$"))
    assert offsite.refused == []


def test_wrong_passwords_are_said_next_to_the_form_and_then_throttled(
    browser: Browser, server: SharedServer
) -> None:
    add_person(server.database_url, "ola@ks.no", name="Ola Staff", role="staff")
    with page_on(browser, server.live.base_url, PHONE) as (page, _offsite):
        page.goto("/login?lang=en")
        for _ in range(4):
            _sign_in(page, "ola@ks.no", "not the right password")
            expect(page.get_by_role("alert")).to_have_text("The e-mail address or the password is not right.")
        assert axe_violations(page) == []
        _sign_in(page, "ola@ks.no", "not the right password")
        expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
        _sign_in(page, "ola@ks.no", PASSWORD)
        expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")


def test_the_invitation_page_says_what_is_wrong_next_to_the_field(
    browser: Browser, server: SharedServer
) -> None:
    secret = add_person(server.database_url, "new@ks.no", name="Ny Person", role="staff", password=None)
    with page_on(browser, server.live.base_url, PHONE) as (page, _offsite):
        page.goto(f"/invite/{secret}?lang=en")
        expect(page.get_by_label("E-mail address (your sign-in name)")).to_have_value("new@ks.no")
        page.get_by_label("New password", exact=True).fill("for kort")
        page.get_by_label("The new password again").fill("for kort")
        page.get_by_role("button", name="Set password and sign in").click()
        field = page.get_by_label("New password", exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#invite-password-error")).to_contain_text("at least 15 characters")
        assert axe_violations(page) == []
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("The new password again").fill(PASSWORD)
        page.get_by_role("button", name="Set password and sign in").click()
        expect(page).to_have_url(re.compile(r"/profile$"))
        page.goto(f"/invite/{secret}")
        expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
        assert axe_violations(page) == []
