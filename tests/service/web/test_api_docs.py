"""/docs and /redoc load everything from the app itself: they work on a machine without internet, and
their scripts are files, so that a Content-Security-Policy without inline scripts allows them."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

ASSET_TYPES = {
    "script": ("text/javascript", "application/javascript"),
    "stylesheet": ("text/css",),
    "icon": ("image/",),
}


class _Page(HTMLParser):
    """Every src and href of a page, what kind of asset each is, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str]] = []
        self.script_texts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        relations = (dict(attrs).get("rel") or "").split()
        kind = "script" if tag == "script" else "icon" if "icon" in relations else " ".join(relations) or tag
        self.references += [(kind, value) for name, value in attrs if name in ("src", "href") and value]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_texts.append(data)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_every_asset_from_the_app(api: httpx.Client, path: str) -> None:
    page = api.get(path)
    assert page.status_code == 200
    origin = urlsplit(str(page.url)).netloc
    parsed = _parsed(page.text)
    kinds = {kind for kind, _ in parsed.references}
    assert {"script", "icon"} <= kinds
    for kind, reference in parsed.references:
        url = urljoin(str(page.url), reference)
        assert urlsplit(url).netloc == origin, f"{path} loads {url} from another host"
        asset = api.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(ASSET_TYPES[kind]), (url, asset.headers)
    hosts = set(re.findall(r"https?://([^/\"'\s>]+)", page.text))
    assert hosts <= {origin}, f"{path} names other hosts: {hosts}"
    assert parsed.script_texts == [], "an inline script needs 'unsafe-inline' in a Content-Security-Policy"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_swagger_ui_is_given_the_openapi_document(api: httpx.Client) -> None:
    page = api.get("/docs").text
    [openapi_url] = re.findall(r'data-openapi-url="([^"]+)"', page)
    assert api.get(openapi_url).json()["info"]["title"] == "Innomatch"
