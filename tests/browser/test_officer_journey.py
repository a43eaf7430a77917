"""A procurement officer's journey in Chromium: sign in, write a Norwegian need, see it matched with
reasons, mark a match not relevant and see it leave the list, read the page in English and back; the
new pages pass axe-core's WCAG 2.1 A and AA rules and are photographed at desktop and phone width."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
OFFICER = "kari@oslo.kommune.no"

OFFICER_SCREENSHOTS = SCREENSHOTS / "officer"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-officer"), encoder)
    shared = SharedServer(live=live, database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="0301")
    yield shared
    shared.live.stop()


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
        expect(page.locator("#need-title-error")).to_have_text("Tittelen mangler: skriv noe her.")
        assert axe_violations(page) == []
        photograph(page, "need-form-error", OFFICER_SCREENSHOTS)
        page.get_by_label("Tittel").fill("Vanntap i ledningsnettet")
        page.get_by_label("Tekstens språk").select_option("nb")
        page.get_by_role("button", name="Publiser behovet").click()
        expect(page).to_have_url(re.compile(r"/needs/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Vanntap i ledningsnettet")
        results = page.locator("ol.results > li")
        assert results.count() >= 3
        for place in range(3):
            expect(results.nth(place).locator(".score")).to_be_visible()  # the score and its reasons
        assert axe_violations(page) == []
        photograph(page, "need-officer", OFFICER_SCREENSHOTS)
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
        photograph(page, "need-officer", OFFICER_SCREENSHOTS)
        page.goto("/needs/new")
        photograph(page, "need-form", OFFICER_SCREENSHOTS)
        assert axe_violations(page) == []
        page.set_viewport_size(DESKTOP)
        photograph(page, "need-form", OFFICER_SCREENSHOTS)
    assert offsite.refused == []
