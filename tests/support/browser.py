"""Debian's Chromium driven by Playwright, with every request to another host refused and recorded.

Playwright's own browser download is never used: it needs the internet, and the product must work in
the browser that the machine's package manager installs (scripts/setup installs it).
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.support.servers import LiveServer

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    """The system Chromium; in CI its absence is a failure, elsewhere a skip that says how to get it."""
    path = os.environ.get("INNOMATCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        message = f"no Chromium at {path}: scripts/setup installs Debian's package 'chromium'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextmanager
def launched_browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OffsitePolicy:
    """Refuses every request to a host other than the app's and remembers it, as an intranet would."""

    origin: str
    refused: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort("blockedbyclient")


@contextmanager
def page_on(
    browser: Browser, base_url: str, viewport: dict[str, int] = DESKTOP
) -> Iterator[tuple[Page, OffsitePolicy]]:
    """A fresh context (no cookies) whose requests may reach only the app."""
    context = browser.new_context(base_url=base_url, viewport=viewport)  # type: ignore[arg-type]
    policy = OffsitePolicy(origin=base_url.rstrip("/"))
    context.route("**/*", policy.handle)
    try:
        yield context.new_page(), policy
    finally:
        context.close()


def demo_page_paths(server: LiveServer) -> list[str]:
    """One page of each kind, on records of the demo data (the demand overview whole and filtered), a
    search with a warning (Swedish), an error page, the sign-in page, the open-data page, and the accessibility statement in
    both languages (English last: the choice is remembered)."""
    with httpx.Client(base_url=server.base_url) as client:
        need = client.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]["id"]
        solution = client.get("/api/v1/solutions", params={"limit": 1}).json()["items"][0]["id"]
    return [
        "/",
        "/?county=46&offset=50",
        "/demand",
        "/demand?county=46&dimension=Environment",
        f"/needs/{need}",
        f"/solutions/{solution}",
        "/search?q=lekkasje+i+vannledninger",
        "/search?q=l%C3%A4ckor+i+vattenledningarna",
        "/needs/999999999",
        "/login",
        "/apne-data",
        "/tilgjengelighet",
        "/tilgjengelighet?lang=en",
    ]


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def axe_violations(page: Page) -> list[tuple[str, int, str]]:
    """axe-core's WCAG 2.1 A/AA violations on the page: (rule, how many elements, what it asks)."""
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [(rule["id"], len(rule["nodes"]), rule["help"]) for rule in found]


def photograph(page: Page, name: str, folder: Path = SCREENSHOTS) -> None:
    """The whole page as `folder/name-WIDTH.png`, for a person to look at; transitions (a details
    element opening) are finished first, as a reader sees the page a moment later."""
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=folder / f"{name}-{width}.png", full_page=True, animations="disabled")
