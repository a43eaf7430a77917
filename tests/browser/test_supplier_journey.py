"""A supplier's journey in Chromium: sign in, register a solution (a wrong field first), find it among
the matches of the need it answers, and see where the demand is, chart and all; the new pages pass
axe-core's WCAG 2.1 A and AA rules, and are photographed at desktop and phone width."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, axe_violations, page_on, photograph
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
EMAIL = "lars@lytt.no"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[tuple[SharedServer, int]]:
    live, url = server_on_copy(sqlite_template, tmp_path_factory.mktemp("browser-supplier"), encoder)
    shared = SharedServer(live=live, database_url=url)
    with shared.client() as admin:
        supplier = create(admin, "suppliers", name="Lytt AS", organisation_number="974760673")
        need = create(admin, "needs", **LEAK_NEED, municipality_number="0301")
    add_person(url, EMAIL, name="Lars Lytt", role="supplier", supplier_id=supplier["id"])
    yield shared, int(need["id"])
    shared.live.stop()


def test_a_supplier_registers_a_solution_finds_it_matched_and_sees_the_demand(
    browser: Browser, server: tuple[SharedServer, int]
) -> None:
    shared, need_id = server
    title = LEAK_SOLUTION["title"]
    with page_on(browser, shared.live.base_url, DESKTOP) as (page, offsite):
        page.goto("/login?lang=en")  # the words below are English; the choice is remembered
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="My solutions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My solutions")
        assert axe_violations(page) == []
        page.get_by_role("link", name="Register a solution").click()

        page.get_by_label("Title").fill(title)
        page.get_by_label("Description").fill(LEAK_SOLUTION["description"])
        page.get_by_label("Finer CPV codes").fill("3842")
        page.get_by_label("U4SSC KPIs the solution improves").select_option(WATER_LOSS)
        page.get_by_label("Oslo").check()
        page.get_by_role("button", name="Save the solution").click()
        expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
        expect(page.get_by_label("Finer CPV codes")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#solution-cpv-error")).to_contain_text("Not a CPV code: 3842.")
        expect(page.get_by_label("Title")).to_have_value(title)
        assert axe_violations(page) == []
        photograph(page, "solution-form-errors")

        page.get_by_label("Finer CPV codes").fill("38421100")
        page.get_by_text("Choose by name (0 chosen)").click()
        page.get_by_label("Repair and maintenance services").check()
        photograph(page, "solution-form-cpv")
        page.get_by_role("button", name="Save the solution").click()
        expect(page.get_by_role("status")).to_contain_text(f"“{title}” has been saved.")

        page.goto(f"/needs/{need_id}")
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        codes = page.locator(".cpv-codes li")
        expect(codes).to_have_text(
            ["50000000 Repair and maintenance services", re.compile(r"^38421100 in Laboratory")]
        )
        page.get_by_role("link", name="Where the demand is for this solution").click()
        expect(page.get_by_role("img", name="Matching needs by county")).to_be_visible()
        expect(page.get_by_role("row", name=re.compile(r"^Oslo 1 "))).to_be_visible()
        expect(page.get_by_role("link", name=LEAK_NEED["title"])).to_be_visible()
        assert axe_violations(page) == []
        photograph(page, "solution-demand")
        demand_address = page.url

        page.set_viewport_size(PHONE)
        page.goto(demand_address)
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
        photograph(page, "solution-demand")
        page.goto("/solutions/new")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        photograph(page, "solution-form")
    assert offsite.refused == []
