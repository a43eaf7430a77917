"""A procurement officer's journey in Chromium: sign in, write a Norwegian need, see it matched with
reasons, mark a match not relevant and see it leave the list, read the page in English and back; the
new pages pass axe-core's WCAG 2.1 A and AA rules and are photographed at desktop and phone width."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, page_on
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "officer"
OFFICER = "kari@oslo.kommune.no"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("browser-officer")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="0301")
    yield shared
    shared.live.stop()


def _violations(page: Page) -> list[tuple[str, int, str]]:
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [(rule["id"], len(rule["nodes"]), rule["help"]) for rule in found]


def _photograph(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def _results(page: Page) -> list[str]:
    return page.locator("ol.results > li h3 a").evaluate_all(
        "links => links.map(l => l.getAttribute('href'))"
    )


def test_an_officer_writes_a_need_and_says_which_match_is_not_relevant(
    browser: Browser, server: SharedServer
) -> None:
    with page_on(browser, server.live.base_url) as (page, offsite):
        page.goto("/login")
        page.get_by_label("E-postadresse").fill(OFFICER)
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.get_by_role("link", name="Skriv et behov").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Skriv et behov")
        page.get_by_label("Tittel").fill("   ")
        page.get_by_label("Problemet").fill(
            "Vi mister mye drikkevann gjennom lekkasjer i gamle vannledninger og vil finne dem raskere."
        )
        page.get_by_role("button", name="Publiser behovet").click()
        expect(page.locator("#need-title-error")).to_be_visible()
        assert _violations(page) == []
        _photograph(page, "need-form-error")
        page.get_by_label("Tittel").fill("Vanntap i ledningsnettet")
        page.get_by_label("Tekstens språk").select_option("nb")
        page.get_by_role("button", name="Publiser behovet").click()
        expect(page).to_have_url(re.compile(r"/needs/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Vanntap i ledningsnettet")
        results = page.locator("ol.results > li")
        assert results.count() >= 3
        for place in range(3):
            expect(results.nth(place).locator(".score")).to_be_visible()  # the score and its reasons
        assert _violations(page) == []
        _photograph(page, "need-officer")
        before = _results(page)
        first = results.first.locator("h3").inner_text()
        results.first.get_by_role("button", name=f"Ikke relevant: {first}").click()
        expect(page.locator("ol.results")).not_to_contain_text(first)
        after = _results(page)
        assert before[0] not in after and after[:2] == before[1:3]
        page.get_by_role("link", name="English").click()
        expect(page.get_by_role("heading", name="Solutions, best first")).to_be_visible()
        expect(page.get_by_role("button", name="Close the need")).to_be_visible()
        page.get_by_role("link", name=re.compile("Norsk|bokmål", re.IGNORECASE)).click()
        expect(page.get_by_role("heading", name="Løsninger, beste først")).to_be_visible()
        page.set_viewport_size(PHONE)
        _photograph(page, "need-officer")
        page.goto("/needs/new")
        _photograph(page, "need-form")
        assert _violations(page) == []
        page.set_viewport_size(DESKTOP)
        _photograph(page, "need-form")
    assert offsite.refused == []
