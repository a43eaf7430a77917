"""Pages are in Norwegian Bokmål unless the reader chose English; the choice (a link, ?lang=) is
remembered in a cookie; the API is not affected."""

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.support.servers import LiveServer


def _html_lang(page: httpx.Response) -> str:
    [lang] = re.findall(r"<html lang=\"([a-z]+)\"", page.text)
    return lang


@pytest.fixture
def reader(demo_server: LiveServer) -> Iterator[httpx.Client]:
    """A browser's view: no token, its own cookies."""
    with httpx.Client(base_url=demo_server.base_url, timeout=30) as client:
        yield client


def test_a_page_is_in_bokmal_by_default(reader: httpx.Client) -> None:
    page = reader.get("/")
    assert _html_lang(page) == "nb"
    assert page.headers["content-language"] == "nb"
    assert "cookie" in page.headers["vary"].lower()
    assert "set-cookie" not in page.headers


def test_the_choice_of_english_is_remembered_until_changed_back(reader: httpx.Client) -> None:
    chosen = reader.get("/", params={"lang": "en"})
    assert _html_lang(chosen) == "en"
    assert re.match(r"lang=en; Path=/; Max-Age=\d+; SameSite=Lax; HttpOnly", chosen.headers["set-cookie"])
    assert _html_lang(reader.get("/search")) == "en"
    assert _html_lang(reader.get("/needs/999999999")) == "en", "an error page too"
    back = reader.get("/search", params={"lang": "nb"})
    assert _html_lang(back) == "nb" and back.headers["set-cookie"].startswith("lang=nb;")
    assert _html_lang(reader.get("/")) == "nb"


def test_an_unknown_language_is_no_choice(reader: httpx.Client) -> None:
    page = reader.get("/", params={"lang": "de"})
    assert _html_lang(page) == "nb"
    assert "set-cookie" not in page.headers


def test_every_page_links_the_same_page_in_the_other_language(reader: httpx.Client) -> None:
    page = reader.get("/", params={"county": "46", "offset": "50"}).text
    assert 'href="/?county=46&amp;offset=50&amp;lang=en" lang="en" hreflang="en">English</a>' in page
    english = reader.get("/search", params={"q": "vann", "lang": "en"}).text
    assert 'href="/search?q=vann&amp;lang=nb" lang="nb" hreflang="nb">Norsk</a>' in english


def test_the_api_answers_in_english_whatever_the_choice(reader: httpx.Client) -> None:
    reader.get("/", params={"lang": "nb"})
    answer = reader.get("/api/v1/needs/999999999", params={"lang": "nb"})
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["detail"] == "Need 999999999 does not exist"
    assert "set-cookie" not in answer.headers and "content-language" not in answer.headers


def _first_need(reader: httpx.Client) -> int:
    return int(reader.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]["id"])


def test_a_need_page_speaks_bokmal_by_default_and_english_on_request(reader: httpx.Client) -> None:
    need = _first_need(reader)
    norwegian = reader.get(f"/needs/{need}").text
    assert ">Løsninger, beste først</h2>" in norwegian
    assert re.search(r"Samsvar 0,\d\d<", norwegian), "a score with a decimal comma"
    assert re.search(
        r"<dt>Registrert</dt><dd>\d{1,2}\. (jan|feb|mar|apr|mai|juni|juli|aug|sep|okt|nov|des)\.? \d{4}<",
        norwegian,
    )
    english = reader.get(f"/needs/{need}", params={"lang": "en"}).text
    assert ">Solutions, best first</h2>" in english
    assert re.search(r"Match 0\.\d\d<", english)
    assert re.search(r"<dt>Registered</dt><dd>[A-Z][a-z]{2} \d{1,2}, \d{4}<", english)
    for page in (norwegian, english):
        assert re.search(r'<p class="record-text" lang="(no|en)">', page), (
            "the need's text keeps its language"
        )


def test_the_start_page_speaks_bokmal_by_default_and_english_on_request(reader: httpx.Client) -> None:
    norwegian = reader.get("/").text
    assert ">Åpne behov</h1>" in norwegian and "Vis behov" in norwegian and "Open needs" not in norwegian
    assert re.search(r'<a href="/needs/\d+" lang="no">', norwegian), "each need's title carries its language"
    english = reader.get("/", params={"lang": "en"}).text
    assert ">Open needs</h1>" in english and "Show needs" in english and "Åpne behov" not in english
