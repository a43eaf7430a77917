"""The pages fit a phone: nothing runs off the right edge at 390 px, at desktop width neither."""

import json

import httpx
import pytest
from playwright.sync_api import Browser, Page

from service.web.structured_data import SYNTHETIC
from tests.support.browser import DESKTOP, PHONE, axe_violations, demo_page_paths, page_on
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth}px`);
  for (const element of document.querySelectorAll('header a, header input, header button, main a, main button')) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && (box.left < 0 || box.right > width + 0.5))
      out.push(`${element.tagName.toLowerCase()} "${(element.textContent || element.name).trim()}" ends at ${Math.round(box.right)}px`);
  }
  return out;
}"""


def _overflow(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None and response.status in (200, 404), path
    return [f"{path}: {problem}" for problem in page.evaluate(OVERFLOWING)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_runs_off_the_screen(
    browser: Browser, demo_server: LiveServer, viewport: dict[str, int]
) -> None:
    with page_on(browser, demo_server.base_url, viewport) as (page, offsite):
        problems = [problem for path in demo_page_paths(demo_server) for problem in _overflow(page, path)]
    assert problems == []
    assert offsite.refused == []


def test_pages_keep_their_content_security_policy_and_use_the_served_typeface(
    browser: Browser, demo_server: LiveServer
) -> None:
    """No inline style or script is refused (the policy allows styles from files only), and the text is
    set in Inter from the app's own files, not a fallback."""
    with page_on(browser, demo_server.base_url) as (page, offsite):
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        fonts = {}
        for path in demo_page_paths(demo_server):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            fonts[path] = page.evaluate(
                "async () => { await document.fonts.ready; return getComputedStyle(document.body).fontFamily.startsWith('Inter') && document.fonts.check('1rem Inter'); }"
            )
    assert refused == []
    assert offsite.refused == []
    assert all(fonts.values()), fonts


def test_a_need_page_carries_its_json_ld_as_data_the_policy_allows(
    browser: Browser, demo_server: LiveServer
) -> None:
    """The schema.org block is data, not script: the browser refuses nothing, and a harvester running the
    page reads the demo need as a synthetic Demand."""
    with httpx.Client(base_url=demo_server.base_url) as client:
        need = client.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]
    with page_on(browser, demo_server.base_url) as (page, offsite):
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
        page.goto(f"/needs/{need['id']}")
        page.wait_for_load_state("networkidle")
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
        assert axe_violations(page) == []
    assert refused == [] and offsite.refused == []
    (demand,) = [json.loads(block) for block in blocks]
    assert demand["@type"] == "Demand" and demand["name"]["@value"] == need["title"]
    assert demand["url"].endswith(f"/needs/{need['id']}")
    assert demand["disambiguatingDescription"] == SYNTHETIC
