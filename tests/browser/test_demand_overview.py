"""Where the demand is, in Chromium on the demo data: a supplier follows the header's "Demand" to the chart
of open needs by U4SSC theme, whose bars carry the counts the service counts, and follows a bar to the
start page listing exactly the needs behind it; the page passes axe-core's WCAG 2.1 A and AA rules in
English and Bokmål, fits a 390 px phone, and is photographed at desktop and phone width."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.demand.overview import DemandFilters, DemandOverview, demand_overview
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.records import create
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
EMAIL = "siri@sensor.no"
SUPPLIER_SCREENSHOTS = SCREENSHOTS / "supplier"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-demand"), encoder)
    shared = SharedServer(live=live, database_url=url)
    with shared.client() as admin:
        supplier = create(admin, "suppliers", name="Sensor AS", organisation_number="974760673")
    add_person(url, EMAIL, name="Siri Sensor", role="supplier", supplier_id=supplier["id"])
    yield shared
    shared.live.stop()


def _counted(database_url: str) -> DemandOverview:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return demand_overview(session=session, filters=DemandFilters())
    finally:
        engine.dispose()


def _number(text: str) -> int:
    """A count as the page writes it, in either language ("1,234", "1 234")."""
    return int(re.sub(r"[^\d]", "", text))


def _fits_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"


def test_a_supplier_sees_the_demand_by_theme_and_follows_a_bar_to_its_needs(
    browser: Browser, server: SharedServer
) -> None:
    counted = _counted(server.database_url)
    assert counted.open_needs > 0 and counted.demo_needs > 0, "the demo data has open needs"
    with page_on(browser, server.live.base_url, DESKTOP) as (page, offsite):
        page.goto("/login?lang=en")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Demand").click()
        expect(page).to_have_url(re.compile(r"/demand$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Demand")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_role("group", name=re.compile("Open needs by U4SSC theme"))).to_be_visible()
        expect(page.locator(".ds-alert")).to_contain_text("fictional demo needs")

        bars = page.locator(".theme-chart__link")
        expect(bars).to_have_count(len(counted.themes))
        shown = [_number(text) for text in bars.locator(".theme-chart__count").all_text_contents()]
        assert shown == [theme.needs for theme in counted.themes]
        assert sum(shown) >= counted.open_needs
        assert axe_violations(page) == []
        photograph(page, "demand", SUPPLIER_SCREENSHOTS)
        _fits_a_phone(page)
        photograph(page, "demand", SUPPLIER_SCREENSHOTS)
        page.set_viewport_size(DESKTOP)

        page.goto("/demand?lang=nb")
        expect(page.get_by_role("heading", level=1)).to_have_text("Etterspørsel")
        assert axe_violations(page) == []
        photograph(page, "demand-nb", SUPPLIER_SCREENSHOTS)
        _fits_a_phone(page)
        page.set_viewport_size(DESKTOP)

        # The county map: a link per county named with its count; the busiest leads to its needs.
        county_links = page.locator(".county-map__link")
        expect(county_links).to_have_count(15)
        expect(page.get_by_role("group", name=re.compile("Kart over åpne behov per fylke"))).to_be_visible()
        busiest = max(counted.counties, key=lambda county: county.needs)
        assert busiest.needs > 0
        on_map = page.locator(".county-map").get_by_role("link", name=f"{busiest.name}: ", exact=False)
        expect(on_map.first).to_be_visible()
        assert _number(on_map.first.get_attribute("aria-label") or "") == busiest.needs
        page.locator(f'.county-map__link[href="/?county={busiest.number}"]').click()
        expect(page).to_have_url(re.compile(rf"/\?county={busiest.number}$"))
        listed = page.locator("#needs-count").inner_text()
        found = re.search(r"av ([\d\s\u00a0]+) åpne behov", listed)
        assert found, listed
        assert _number(found.group(1)) == busiest.needs
        page.goto("/demand?lang=nb")

        biggest = max(range(len(counted.themes)), key=lambda index: counted.themes[index].needs)
        theme = counted.themes[biggest]
        assert theme.suggested == 0, "the demo needs all carry KPI codes: the start page lists them all"
        bars.nth(biggest).click()
        expect(page).to_have_url(re.compile(r"/\?theme="))
        expect(page.get_by_label("U4SSC-tema")).to_have_value(theme.theme)
        listed = page.locator("#needs-count").inner_text()
        found = re.search(r"av ([\d\s\u00a0]+) åpne behov", listed)
        assert found, listed
        assert _number(found.group(1)) == theme.needs
    assert offsite.refused == []
