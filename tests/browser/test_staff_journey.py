"""A programme staff member's journey in Chromium on the demo data: from the demand page to the buyer
groups, a group's page, a partnership proposed from it with the route the service recommends and why,
moved to dialogue and then to pilot, and a pilot outcome recorded and shown before and after as a chart
and a table. Every page passes axe-core's WCAG 2.1 A and AA rules at desktop and phone width, fits a
390 px phone, and is photographed at both widths."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
EMAIL = "stine@lup.no"
STAFF_SCREENSHOTS = SCREENSHOTS / "staff"
TITLE = "Felles pilot: bærekraftige offentlige bygg"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-staff"), encoder)
    shared = SharedServer(live=live, database_url=url)
    add_person(url, EMAIL, name="Stine Stab", role="staff")
    yield shared
    shared.live.stop()


def _checked(page: Page, name: str) -> None:
    """No axe violation at desktop and phone width, no sideways scroll on the phone, both photographed."""
    assert axe_violations(page) == [], name
    photograph(page, name, STAFF_SCREENSHOTS)
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        f"{name}: no sideways scroll"
    )
    photograph(page, name, STAFF_SCREENSHOTS)
    page.set_viewport_size(DESKTOP)


def _measured(server: SharedServer, group: dict[str, Any]) -> dict[str, Any]:
    """A member's latest value of the group's KPI: the 'before' of the outcome the journey records."""
    code = group["theme_kpi"]["code"]
    with server.client() as admin:
        for municipality in group["municipalities"]:
            standings = admin.get(f"/api/v1/municipalities/{municipality['number']}/kpis").json()
            for standing in standings:
                if standing["kpi_code"] == code and standing["value"] is not None:
                    return dict(standing)
    raise AssertionError("a member of the group has a value of its KPI")


def _move(page: Page, status: str, note: str) -> None:
    page.get_by_label("New status").select_option(label=status)
    page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".partnership-status")).to_have_text(status.capitalize())


def test_staff_propose_a_partnership_from_a_buyer_group_and_follow_it_to_its_outcome(
    browser: Browser, server: SharedServer
) -> None:
    with server.client() as admin:
        group = admin.get("/api/v1/buyer-groups", params={"limit": 1}).json()["items"][0]
    assert group["theme_kpi"] and group["best_solutions"], "the largest demo group has a KPI and solutions"
    before = _measured(server, group)
    with page_on(browser, server.live.base_url, DESKTOP) as (page, offsite):
        page.goto("/login?lang=en")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Demand").click()
        page.get_by_role("link", name=re.compile("^Buyer groups:")).click()
        expect(page).to_have_url(re.compile(r"/buyer-groups$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Buyer groups")
        _checked(page, "buyer-groups")

        page.locator(f'a[href="/buyer-groups/{group["key"]}"]').click()
        expect(page.get_by_role("heading", level=1)).to_have_text(group["theme_kpi"]["name_en"])
        for solution in group["best_solutions"]:
            expect(page.get_by_role("checkbox", name=solution["title"])).to_be_checked()
        _checked(page, "buyer-group")

        page.get_by_label("Title (optional)").fill(TITLE)
        page.get_by_role("button", name="Propose the partnership").click()
        expect(page).to_have_url(re.compile(r"/partnerships/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator(".partnership-status")).to_have_text("Proposed")
        expect(
            page.get_by_role("heading", name=re.compile("^Recommended procurement route: "))
        ).to_be_visible()
        expect(page.locator(".route-reasons li").first).to_be_visible()
        _checked(page, "partnership-proposed")

        _move(page, "in dialogue", "Market dialogue held with three suppliers.")
        _move(page, "pilot", "Pilot agreed.")
        expect(page.get_by_role("heading", name="Record an outcome")).to_be_visible()
        page.get_by_label("Municipality", exact=True).select_option(before["municipality_number"])
        page.get_by_label("Solution piloted").select_option(str(group["best_solutions"][0]["id"]))
        page.get_by_label("KPI", exact=True).select_option(before["kpi_code"])
        after = min(before["value"] + 5, 100) if before["unit"] == "%" else before["value"] + 5
        page.get_by_label("Year measured").fill(str(before["year"] + 1))
        page.get_by_label("Value", exact=True).fill(str(after))
        page.get_by_label("Unit").fill(before["unit"])
        page.get_by_role("button", name="Record the outcome").click()
        expect(page).to_have_url(re.compile(r"/partnerships/\d+#outcomes$"))
        chart = page.get_by_role("img", name=re.compile("KPI values before and after the pilot"))
        expect(chart).to_be_visible()
        expect(chart.locator(".outcome-chart__bar")).to_have_count(2)
        row = page.locator(".outcome-table tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_contain_text(f"({before['year']})")
        expect(row.locator("td").nth(2)).to_contain_text(f"({before['year'] + 1})")
        history = page.locator("#history + table tbody tr")
        expect(history).to_have_count(4)  # proposed, two moves, the outcome
        expect(history.nth(1)).to_contain_text("Market dialogue held with three suppliers.")
        _checked(page, "partnership-pilot")
        address = page.url.split("#")[0]
        page.goto(address + "?lang=nb")
        expect(page.get_by_role("heading", name=re.compile("^Anbefalt anskaffelsesvei: "))).to_be_visible()
        expect(page.locator(".route-reasons")).not_to_have_attribute("lang", "en")
        expect(page.locator(".route-reasons li").first).to_contain_text("kandidatløsning")
        _checked(page, "partnership-pilot-nb")
        page.goto(address + "?lang=en")

        page.get_by_role("link", name="← All partnerships").click()
        pilot = page.get_by_role("region", name=re.compile("^Pilot"))
        expect(pilot.get_by_role("link", name=TITLE)).to_be_visible()
        _checked(page, "partnerships")
    assert offsite.refused == []


def test_staff_find_where_needs_have_findings_and_open_a_municipalitys_needs(
    browser: Browser, server: SharedServer
) -> None:
    with page_on(browser, server.live.base_url, DESKTOP) as (page, offsite):
        page.goto("/login?lang=en")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Tools").click()
        page.get_by_role("link", name="Needs quality", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Needs quality by municipality")
        _checked(page, "needs-quality")

        page.get_by_role("link", name="Missing context").click()
        expect(page).to_have_url(re.compile(r"sort=context"))
        expect(page.locator('th[aria-sort="descending"]')).to_have_text("Missing context")
        page.goto(page.url + "&lang=nb")
        expect(page.get_by_role("heading", level=1)).to_have_text("Kvalitet på behov per kommune")
        _checked(page, "needs-quality-nb")

        page.locator(".quality-table tbody th a").first.click()
        expect(page.get_by_role("heading", name="Kommunens behov")).to_be_visible()
        expect(page.locator(".need-quality-table .ds-tag").first).to_be_visible()
        _checked(page, "municipality-needs-nb")
    assert offsite.refused == []
