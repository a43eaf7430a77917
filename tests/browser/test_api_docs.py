"""/docs and /redoc render in a browser that may reach nothing but the app, as on an intranet."""

import re

import pytest
from playwright.sync_api import Browser

from tests.support.browser import page_on
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow
REFUSED_STYLE_OR_SCRIPT = re.compile(
    r"violates the following Content Security Policy directive: \"(style|script)-src"
)


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".swagger-ui .opblock-tag"), ("/redoc", "[role=search], .api-content h1")],
    ids=["swagger-ui", "redoc"],
)
def test_api_documentation_renders_offline(
    browser: Browser, demo_server: LiveServer, path: str, rendered: str
) -> None:
    with page_on(browser, demo_server.base_url) as (page, offsite):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # A refused style or script would break the page; ReDoc's logo from its maker's CDN is refused
        # on purpose (img-src).
        page.on(
            "console",
            lambda message: (
                errors.append(message.text) if REFUSED_STYLE_OR_SCRIPT.search(message.text) else None
            ),
        )
        page.goto(path)
        page.locator(rendered).first.wait_for(state="visible", timeout=30_000)
        assert "Innomatch" in page.inner_text("body")
        page.wait_for_load_state("networkidle")
    assert offsite.refused == []
    assert errors == []
