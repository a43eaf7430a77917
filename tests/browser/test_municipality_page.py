"""An officer's municipality in Chromium: sign in, follow the header's "Min kommune" to the KPI chart,
from a gap to its need and the need's matches; the page passes axe-core's WCAG 2.1 A and AA rules, fits a
390 px phone without sideways scrolling, and is photographed at desktop and phone width."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
OFFICER = "kari@stavanger.kommune.no"
STAVANGER = "1103"  # KPI values, real and synthetic, and gaps that have become needs in the demo data

OFFICER_SCREENSHOTS = SCREENSHOTS / "officer"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-municipality"), encoder)
    shared = SharedServer(live=live, database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=STAVANGER)
    yield shared
    shared.live.stop()


def test_an_officer_goes_from_a_kpi_gap_to_its_need_and_matches(
    browser: Browser, server: SharedServer
) -> None:
    with page_on(browser, server.live.base_url) as (page, offsite):
        page.goto("/login")
        page.get_by_label("E-postadresse").fill(OFFICER)
        page.get_by_label("Passord").fill(PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.get_by_role("link", name="Min kommune").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Stavanger")
        expect(page.get_by_role("img", name=re.compile("KPI-verdier mot målene"))).to_be_visible()
        expect(page.locator(".kpi-chart__synthetic").first).to_have_text("fiktiv verdi")
        assert axe_violations(page) == []
        photograph(page, "municipality", OFFICER_SCREENSHOTS)

        page.set_viewport_size(PHONE)
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
        photograph(page, "municipality", OFFICER_SCREENSHOTS)
        page.set_viewport_size(DESKTOP)

        gaps = page.locator("#gap-needs + table tbody tr")
        need_title = gaps.first.locator("td a").first.inner_text()
        gaps.first.get_by_role("link", name=re.compile("^Treffene")).click()
        expect(page).to_have_url(re.compile(r"/needs/\d+#matches$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(need_title)
        expect(page.locator("ol.results > li").first).to_be_visible()
    assert offsite.refused == []
