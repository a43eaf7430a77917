"""Programme staff import procurement notices through the form on /notices in Chromium: two files, one of
them not a valid notice, each with its outcome (the refused one with its field); then the imported notice's
page with its deadline. The list and the notice pass axe-core's WCAG 2.1 A and AA rules at desktop and
phone width, fit a 390 px phone, and are photographed at both widths."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.notices import BERGEN_TITLE, SAMPLES, bergen_notice
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow
EMAIL = "stine@innomatch.no"
NOTICE_SCREENSHOTS = SCREENSHOTS / "notices"


def _checked(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    photograph(page, name, NOTICE_SCREENSHOTS)
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        f"{name}: no sideways scroll"
    )
    photograph(page, name, NOTICE_SCREENSHOTS)
    page.set_viewport_size(DESKTOP)


def test_staff_import_two_files_see_each_outcome_and_open_the_notice(
    browser: Browser, live_server: LiveServer, database_url: str
) -> None:
    add_person(database_url, EMAIL, name="Stine Stab", role="staff")
    with page_on(browser, live_server.base_url, DESKTOP) as (page, offsite):
        page.goto("/login?lang=en")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.goto("/")  # the open needs: the way to the notices
        page.get_by_role("link", name=re.compile("^Procurement notices from Doffin")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Procurement notices")

        page.get_by_label("eForms XML files").set_input_files(
            [
                {"name": "bergen.xml", "mimeType": "application/xml", "buffer": bergen_notice()},
                {
                    "name": "INVALID_cn_24_empty.xml",
                    "mimeType": "application/xml",
                    "buffer": (SAMPLES / "INVALID_cn_24_empty.xml").read_bytes(),
                },
            ]
        )
        page.get_by_role("button", name="Import the files").click()
        outcomes = page.locator("tr.import-outcome")
        expect(outcomes).to_have_count(2)
        expect(outcomes.nth(0)).to_contain_text("bergen.xml")
        expect(outcomes.nth(0)).to_contain_text("imported, new")
        expect(outcomes.nth(1)).to_contain_text("INVALID_cn_24_empty.xml")
        expect(outcomes.nth(1)).to_contain_text("refused")
        expect(outcomes.nth(1)).to_contain_text("notice_id")
        _checked(page, "notices-imported")

        page.get_by_role("link", name=BERGEN_TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(BERGEN_TITLE)
        expect(page.locator(".notice-deadline")).to_contain_text("Feb 4, 2099")
        expect(page.locator(".notice-buyer")).to_contain_text("Bergen")
        _checked(page, "notice")

        page.goto("/?lang=nb")
        expect(page.locator(".notice-tag")).to_have_text("Kunngjøring")
        _checked(page, "open-needs-with-notice")
    assert offsite.refused == []
