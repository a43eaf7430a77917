"""The need form's live check in Chromium: an officer writes a need that names a brand, sees the finding
appear a moment after typing stops with the brand marked in the preview, adds "eller tilsvarende" and
sees it clear, accepts a suggested KPI with one click and saves; without JavaScript the findings are on
the need page after saving. The form with findings passes axe-core's WCAG 2.1 A and AA rules under the
app's Content-Security-Policy (no script error), and is photographed at desktop and phone width."""

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
FORM_SCREENSHOTS = SCREENSHOTS / "need-quality"
TITLE = "Trådløst nett i skolene"
BRANDED = (
    "Vi trenger Cisco Meraki tilgangspunkter i alle klasserom, fordi elevene mister nettet midt i"
    " prøver. Lærerne bruker mye tid på feilsøking i dag. Målet er å halvere antall avbrudd innen"
    " ett år for de 4000 elevene i kommunen."
)
FIXED = BRANDED.replace("Cisco Meraki tilgangspunkter", "Cisco Meraki tilgangspunkter eller tilsvarende")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-need-quality"), encoder)
    shared = SharedServer(live=live, database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="0301")
    yield shared
    shared.live.stop()


def _sign_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(OFFICER)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).not_to_have_url(re.compile("/login"))


def test_an_officer_sees_the_brand_finding_appear_and_clear_while_writing(
    browser: Browser, server: SharedServer
) -> None:
    with page_on(browser, server.live.base_url) as (page, offsite):
        script_errors: list[str] = []
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and script_errors.append(message.text))
        _sign_in(page)
        page.goto("/needs/new")
        panel = page.locator("#need-quality")
        expect(panel).to_have_attribute("aria-live", "polite")
        expect(panel).to_contain_text("Sjekken starter når både tittelen og problemet har tekst.")
        page.get_by_label("Tittel").fill(TITLE)
        page.get_by_label("Problemet").press_sequentially(BRANDED[:40], delay=5)
        page.get_by_label("Problemet").fill(BRANDED)
        brand = panel.locator("mark.quality-mark").first
        expect(brand).to_contain_text("Cisco")
        expect(panel).to_contain_text("«Cisco» er et merke-, produkt- eller leverandørnavn")
        expect(panel).to_contain_text("Forslag:")
        expect(panel.locator(".quality-checklist")).to_contain_text(
            "Nevner ikke merkenavn uten «eller tilsvarende»"
        )
        chips = page.locator("#kpi-suggestions input[data-kpi-chip]")
        expect(chips.first).to_be_visible()
        assert axe_violations(page) == []
        photograph(page, "need-form-findings", FORM_SCREENSHOTS)
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
        photograph(page, "need-form-findings", FORM_SCREENSHOTS)
        page.set_viewport_size(DESKTOP)
        code = chips.first.get_attribute("value")
        page.locator("#kpi-suggestions label.ds-chip").first.click()
        expect(chips.first).to_be_checked()
        selected = page.locator("#need-kpis").evaluate(
            "list => Array.from(list.selectedOptions, o => o.value)"
        )
        assert code in selected, "the chip chose the KPI in the form's KPI list"
        page.get_by_label("Problemet").fill(FIXED)
        expect(panel.locator("mark.quality-mark")).to_have_count(0)
        expect(panel).not_to_contain_text("merke-, produkt- eller leverandørnavn")
        expect(chips.first).to_be_checked()
        page.get_by_role("button", name="Publiser behovet").click()
        expect(page).to_have_url(re.compile(r"/needs/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator(".facts")).to_contain_text(str(code))
        expect(page.locator("#need-quality")).not_to_contain_text("merke-, produkt- eller leverandørnavn")
        assert axe_violations(page) == [], "the need page with its writer's check panel"
    assert offsite.refused == []
    assert script_errors == []


def test_without_javascript_the_findings_are_shown_after_saving(
    browser: Browser, server: SharedServer
) -> None:
    context = browser.new_context(base_url=server.live.base_url, viewport=DESKTOP, java_script_enabled=False)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        _sign_in(page)
        page.goto("/needs/new")
        page.get_by_label("Tittel").fill(TITLE)
        page.get_by_label("Problemet").fill(BRANDED)
        page.get_by_role("button", name="Publiser behovet").click()
        expect(page).to_have_url(re.compile(r"/needs/\d+$"))
        findings = page.locator("#need-quality")
        expect(findings.locator("mark.quality-mark").first).to_contain_text("Cisco")
        expect(findings).to_contain_text("«Cisco» er et merke-, produkt- eller leverandørnavn")
        photograph(page, "need-page-findings-without-javascript", FORM_SCREENSHOTS)
        page.get_by_role("link", name="Endre behovet").click()
        expect(page.locator("#need-quality")).to_contain_text(
            "«Cisco» er et merke-, produkt- eller leverandørnavn"
        )
        expect(page.locator("#kpi-suggestions input[type=checkbox]").first).to_be_visible()
        photograph(page, "need-form-without-javascript", FORM_SCREENSHOTS)
    finally:
        context.close()
