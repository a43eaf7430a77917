"""«Mine varsler» in Chromium, in Bokmål: a supplier signs in, finds «Mine varsler» empty, opens where
the demand for their solution is, clicks «Lagre søket», sends the form once with a mistake and then
right, finds the search in «Mine varsler» and pauses it, then asks to delete it, and sees «Lagre
søket» on the open needs with a filter and on a search for solutions; every page passes
axe-core's WCAG 2.1 A and AA rules, has no sideways scroll, and is photographed at desktop and phone
width."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, axe_violations, page_on, photograph
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, create
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
WIDTHS = (DESKTOP["width"], PHONE["width"])  # one supplier's person per width, each starting with no searches


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[tuple[SharedServer, int]]:
    live, url = server_on_copy(sqlite_template, tmp_path_factory.mktemp("browser-alerts"), encoder)
    shared = SharedServer(live=live, database_url=url)
    with shared.client() as admin:
        supplier = create(admin, "suppliers", name="Lytt AS", organisation_number="974760673")
        solution = create(admin, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"])
        create(admin, "needs", **LEAK_NEED, municipality_number="0301")
    for width in WIDTHS:
        add_person(url, f"lars{width}@lytt.no", name="Lars Lytt", role="supplier", supplier_id=supplier["id"])
    yield shared, int(solution["id"])
    live.stop()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_supplier_saves_the_search_of_their_demand_page_and_pauses_it(
    browser: Browser, server: tuple[SharedServer, int], viewport: dict[str, int]
) -> None:
    shared, solution_id = server
    name = f"Lekkasjer ({viewport['width']})"
    with page_on(browser, shared.live.base_url, viewport) as (page, offsite):

        def checked(screenshot: str) -> None:
            assert axe_violations(page) == [], page.url
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url
            photograph(page, screenshot)

        page.goto("/login")
        page.get_by_label("E-postadresse").fill(f"lars{viewport['width']}@lytt.no")
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.get_by_role("link", name="Varsler").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mine varsler")
        expect(page.get_by_role("heading", level=2)).to_have_text("Du har ingen lagrede søk ennå")
        checked("alerts-empty")
        page.goto(f"/my/solutions/{solution_id}/demand")
        checked("solution-demand-save")
        page.get_by_role("link", name="Lagre søket").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lagre søket")
        expect(page.get_by_label("Navn", exact=True)).to_have_value(LEAK_SOLUTION["title"])
        expect(page.get_by_label("E-post", exact=True)).to_be_checked()
        expect(page.get_by_label("Én gang om dagen")).to_be_checked()
        checked("alert-form")

        page.get_by_label("Navn", exact=True).fill("")
        page.get_by_role("button", name="Lagre søket").click()
        expect(page.get_by_role("alert")).to_contain_text("Søket ble ikke lagret")
        expect(page.get_by_label("Navn", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#alert-name-error")).to_contain_text("Navnet mangler")
        checked("alert-form-errors")

        page.get_by_label("Navn", exact=True).fill(name)
        page.get_by_label("Én gang i uken").check()
        page.get_by_role("button", name="Lagre søket").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mine varsler")
        expect(page.get_by_role("status")).to_contain_text("Søket er lagret")
        search = page.locator(".alert-card", has=page.get_by_role("heading", name=name))
        expect(search).to_contain_text("Nye behov som passer til en løsning")
        expect(search.get_by_role("link", name=LEAK_SOLUTION["title"])).to_be_visible()
        expect(search).to_contain_text("Én gang i uken")
        expect(search).to_contain_text("aktivt")
        search.get_by_role("button", name=f"Sett {name} på pause").click()
        expect(search).to_contain_text("på pause")
        expect(search.get_by_role("button", name=f"Start {name} igjen")).to_be_visible()
        expect(page.get_by_role("link", name="Varsler")).to_have_attribute("aria-current", "page")
        checked("alerts")

        search.get_by_role("link", name=f"Slett {name}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Slett søket")
        checked("alert-delete")

        for address, screenshot in (("/?county=03", "home-save"), ("/search?q=lekkasjer", "search-save")):
            page.goto(address)
            expect(page.get_by_role("link", name="Lagre søket")).to_be_visible()
            checked(screenshot)
    assert offsite.refused == []
