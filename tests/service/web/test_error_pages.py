"""A page that fails answers an HTML page in the site's layout with the right status and words a person
can act on, in Bokmål unless the reader chose English; the API's errors stay JSON (service/web/errors.py
says which paths are pages)."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from service.config import Settings
from service.text_fields import MAX_TEXT_LENGTH

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _assert_error_page(response: httpx.Response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<a class="site-brand" href="/">Innomatch</a>' in page, "not in the site's layout"
    assert 'href="/">Tilbake til de åpne behovene</a>' in page
    assert '"detail"' not in page
    return page


@SQLITE_ONLY
def test_a_missing_need_or_page_is_a_404_page(api: httpx.Client) -> None:
    page = _assert_error_page(api.get("/needs/99999"), 404)
    assert "<title>Fant ikke siden · Innomatch</title>" in page
    assert "Behov 99999 finnes ikke." in page
    page = _assert_error_page(api.get("/no-such-page"), 404)
    assert "Det finnes ingen side på denne adressen." in page


@SQLITE_ONLY
def test_an_error_page_is_in_english_when_the_reader_chose_english(api: httpx.Client) -> None:
    page = api.get("/needs/99999", params={"lang": "en"})
    assert page.status_code == 404
    assert "<title>Page not found · Innomatch</title>" in page.text
    assert "Need 99999 does not exist." in page.text
    assert 'href="/">Back to the open needs</a>' in page.text
    refused = api.get("/search", params={"q": "x" * 50_000})  # the cookie remembers the choice
    assert "The search text is too long: at most 20,000 characters, not 50,000." in refused.text


@SQLITE_ONLY
def test_a_search_text_too_long_is_a_422_page_naming_the_field_and_the_limit(api: httpx.Client) -> None:
    response = api.get("/search", params={"q": "x" * 50_000})
    page = _assert_error_page(response, 422)
    maximum = f"{MAX_TEXT_LENGTH:,}".replace(",", "\xa0")
    assert f"Søketeksten har for mange tegn: høyst {maximum}, ikke 50\xa0000." in page
    assert "x" * 100 not in page, "the page echoes the input"
    assert len(response.content) < 20_000


@SQLITE_ONLY
def test_a_search_text_without_letters_is_a_422_page_saying_there_are_no_words(api: httpx.Client) -> None:
    page = _assert_error_page(api.get("/search", params={"q": "🚰 💧 2024"}), 422)
    assert (
        "Søketeksten er ikke gyldig: må inneholde ord: den har ingen bokstaver, bare sifre, symboler eller emoji."
    ) in page
    assert api.get("/search", params={"q": "   "}).status_code == 200


@SQLITE_ONLY
def test_a_malformed_address_is_a_422_page(api: httpx.Client) -> None:
    page = _assert_error_page(api.get("/needs/abc"), 422)
    assert "Behovsnummeret i adressen må være et helt tall, ikke «abc»." in page


@SQLITE_ONLY
def test_a_wrong_method_or_token_on_a_page_is_an_html_page(api: httpx.Client) -> None:
    response = api.post("/search")
    _assert_error_page(response, 405)
    assert response.headers["allow"] == "GET"
    with httpx.Client(base_url=str(api.base_url), headers={"Authorization": "Bearer nope"}) as stranger:
        page = _assert_error_page(stranger.get("/needs/1"), 401)
    assert "Denne tilgangsnøkkelen er ukjent eller trukket tilbake." in page


@SQLITE_ONLY
def test_the_api_keeps_json_errors(api: httpx.Client) -> None:
    for path, status in [
        ("/api/v1/needs/99999", 404),
        ("/api/v1/no-such-endpoint", 404),
        ("/api/v1/needs?limit=0", 422),
        ("/api/v1/needs/abc", 422),
    ]:
        response = api.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json", path
        assert "detail" in response.json()
    assert api.post("/health").headers["content-type"] == "application/json"


@contextmanager
def _need_table_gone(settings: Settings) -> Iterator[None]:
    """A real failure under the running server: the table of needs renamed away, then back."""
    path = settings.resolved_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as database:
        database.execute("ALTER TABLE need RENAME TO need_away")
    try:
        yield
    finally:
        with sqlite3.connect(path) as database:
            database.execute("ALTER TABLE need_away RENAME TO need")


@SQLITE_ONLY
def test_a_failure_is_a_500_page_that_does_not_show_the_error(api: httpx.Client, settings: Settings) -> None:
    # The server closes a connection on which a request failed: each request on its own.
    alone = {"Connection": "close"}
    with _need_table_gone(settings):
        page_answer, api_answer = api.get("/", headers=alone), api.get("/api/v1/needs", headers=alone)
    page = _assert_error_page(page_answer, 500)
    assert "Noe gikk galt" in page
    assert api_answer.status_code == 500
    assert api_answer.headers["content-type"] == "application/json"
    for answer in (page_answer, api_answer):
        for leak in ("no such table", "OperationalError", "SELECT count", "sqlite3", "Traceback"):
            assert leak not in answer.text, f"the error's text leaks: {answer.text[:500]}"
    assert api.get("/").status_code == 200
