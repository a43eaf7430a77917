"""Every page passes axe-core's WCAG 2.1 A and AA rules (universal design is law for Norwegian public web)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.support.browser import DESKTOP, PHONE, WCAG_21_AA, demo_page_paths, page_on
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pages_have_no_wcag_violations(
    browser: Browser, demo_server: LiveServer, viewport: dict[str, int]
) -> None:
    axe = Axe()
    violations = {}
    with page_on(browser, demo_server.base_url, viewport) as (page, _offsite):
        for path in demo_page_paths(demo_server):
            page.goto(path)
            found = axe.run(page, options=WCAG_21_AA).response["violations"]
            if found:
                violations[path] = [(rule["id"], len(rule["nodes"]), rule["help"]) for rule in found]
    assert violations == {}


def test_the_check_sees_a_violation(browser: Browser, demo_server: LiveServer) -> None:
    with page_on(browser, demo_server.base_url) as (page, _offsite):
        page.goto("/")
        page.evaluate("() => document.documentElement.removeAttribute('lang')")
        found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert [rule["id"] for rule in found] == ["html-has-lang"]
