"""The notifications page and the administrator's outbox in Chromium, after one round of alerts: an
officer whose e-mail was refused for good sees it stand out with its error; a person without searches
is told what will appear; the administrator reaches the outbox from the tools and reads an e-mail.
Each page passes axe-core's WCAG 2.1 A and AA rules, fits a 390 px phone, and is photographed at
desktop and phone width."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from service.alerts.channels import DeliveryError
from service.config import Settings
from tests.support.accounts import PASSWORD, add_person
from tests.support.alert_rows import REFUSED, Outcome, new_records, run_round, save_search
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

pytestmark = pytest.mark.slow
ANNE, KARI, PER = "anne@innomatch.no", "kari@bodo.kommune.no", "per@stavanger.kommune.no"
ALERT_SCREENSHOTS = SCREENSHOTS / "alerts"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("browser-alerts")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    live = start_server(settings, encoder)
    add_person(url, ANNE, name="Anne Admin", role="admin")
    add_person(url, KARI, name="Kari Nordmann", role="officer", municipality_number="1804")
    add_person(url, PER, name="Per Hansen", role="officer", municipality_number="1103")
    refused = save_search(
        live.base_url,
        KARI,
        name="Lekkasjesøk",
        kind="solutions_for_text",
        text="finne lekkasjer i vannledningsnettet",
    )
    sent = save_search(
        live.base_url, KARI, name="Vanntap hos andre", kind="needs_for_text", text="vanntap i ledningsnettet"
    )
    with live.client() as admin:
        new_records(admin)
    run_round(
        settings,
        encoder,
        directory / "worker-index",
        [Outcome(refused, DeliveryError(REFUSED, permanent=True)), Outcome(sent)],
    )
    yield live
    live.stop()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/profile$"))


def _checked_and_photographed(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    photograph(page, name, ALERT_SCREENSHOTS)
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == [], f"{name} on a phone"
    photograph(page, name, ALERT_SCREENSHOTS)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is wider than a phone: {width}px"
    page.set_viewport_size(DESKTOP)


def test_an_officer_sees_what_was_found_and_which_email_failed(browser: Browser, server: LiveServer) -> None:
    with page_on(browser, server.base_url) as (page, offsite):
        _sign_in(page, KARI)
        page.goto("/alerts/notifications")
        expect(page.get_by_role("heading", level=1)).to_have_text("Varsler")
        expect(page.locator("tr.found-row")).to_have_count(2)
        dead = page.locator("tr.delivery-dead")
        expect(dead).to_contain_text("Mislyktes for godt")
        expect(dead).to_contain_text("5.1.1 mailbox unavailable")
        expect(page.locator("tr.delivery-sent")).to_contain_text("Sendt")
        expect(page.get_by_role("link", name="Mine varsler")).to_have_attribute("href", "/alerts")
        _checked_and_photographed(page, "notifications")
        page.goto("/alerts/notifications?lang=en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
        _checked_and_photographed(page, "notifications-en")
        assert offsite.refused == []


def test_a_person_without_searches_is_told_what_will_appear(browser: Browser, server: LiveServer) -> None:
    with page_on(browser, server.base_url) as (page, _offsite):
        _sign_in(page, PER)
        page.goto("/alerts/notifications")
        expect(page.get_by_role("heading", name="Ingenting funnet ennå")).to_be_visible()
        _checked_and_photographed(page, "notifications-empty")


def test_an_administrator_reads_an_email_in_the_outbox(browser: Browser, server: LiveServer) -> None:
    with page_on(browser, server.base_url) as (page, offsite):
        _sign_in(page, ANNE)
        page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Verktøy").click()
        page.get_by_role("main").get_by_role("link", name="Utboks", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Utboks")
        expect(page.locator("tr.outbox-row")).to_have_count(1)
        _checked_and_photographed(page, "outbox")
        page.locator("tr.outbox-row").get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("E-post i utboksen")
        expect(page.locator("pre.mail-text")).to_contain_text("/needs/")
        _checked_and_photographed(page, "outbox-message")
        assert offsite.refused == []
