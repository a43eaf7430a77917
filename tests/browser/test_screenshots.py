"""Screenshots of the main pages at desktop and phone width, for a person to look at: written to
test-artifacts/screenshots/ (ignored by git; a CI run can keep them). The test fails only if a page
does not render."""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.support.browser import DESKTOP, PHONE, page_on
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _pages(server: LiveServer) -> dict[str, str]:
    with httpx.Client(base_url=server.base_url) as client:
        need = client.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]["id"]
    return {
        "home": "/",
        "need": f"/needs/{need}",
        "search": "/search?q=lekkasjer+i+vannledningene",
        "statement": "/tilgjengelighet",
        "open-data": "/apne-data",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_screenshots_of_the_main_pages(
    browser: Browser, demo_server: LiveServer, viewport: dict[str, int]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with page_on(browser, demo_server.base_url, viewport) as (page, offsite):
        for name, path in _pages(demo_server).items():
            response = page.goto(path)
            assert response is not None and response.ok, path
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SCREENSHOTS / f"{name}-{viewport['width']}.png", full_page=True)
    assert offsite.refused == []
