"""The pages work with a keyboard alone: a skip link first, a visible focus on everything that takes it;
and the language link works without JavaScript."""

import pytest
from playwright.sync_api import Browser, Page

from tests.support.browser import DESKTOP, OffsitePolicy, page_on
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow

# Whether the focused element shows it: an outline or a ring (box-shadow) that is not transparent.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow !== 'none';
  const box = element.getBoundingClientRect();
  return {tag: element.tagName.toLowerCase(), text: (element.textContent || element.name || '').trim().slice(0, 40),
          shown: (outline || ring) && box.width > 0 && box.height > 0};
}"""


def _tab(page: Page) -> dict[str, object]:
    page.keyboard.press("Tab")
    focused: dict[str, object] = page.evaluate(FOCUS_SHOWN)
    return focused


def test_the_first_tab_reaches_a_skip_link_to_the_main_content(
    browser: Browser, demo_server: LiveServer
) -> None:
    with page_on(browser, demo_server.base_url) as (page, _offsite):
        page.goto("/")
        first = _tab(page)
        assert first == {"tag": "a", "text": "Hopp til hovedinnhold", "shown": True}
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        assert page.evaluate("() => location.hash") == "#main"


@pytest.mark.parametrize("path", ["/", "/search?q=lekkasje"])
def test_every_control_shows_its_focus(browser: Browser, demo_server: LiveServer, path: str) -> None:
    with page_on(browser, demo_server.base_url, DESKTOP) as (page, _offsite):
        page.goto(path)
        reached = [_tab(page) for _ in range(16)]
    hidden = [element for element in reached if not element["shown"]]
    assert hidden == []
    assert {element["tag"] for element in reached} >= {"a", "select" if path == "/" else "input", "button"}


def test_the_language_link_works_without_javascript(browser: Browser, demo_server: LiveServer) -> None:
    context = browser.new_context(base_url=demo_server.base_url, java_script_enabled=False)
    policy = OffsitePolicy(origin=demo_server.base_url.rstrip("/"))
    context.route("**/*", policy.handle)
    try:
        page = context.new_page()
        page.goto("/search?q=lekkasje")
        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Find solutions"
        assert page.get_by_role("searchbox").input_value() == "lekkasje"
        page.goto("/")  # remembered
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
    assert policy.refused == []
