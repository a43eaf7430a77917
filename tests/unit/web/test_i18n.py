"""Which language a page is in, the link to the other one, and numbers and dates as the reader writes them."""

from datetime import UTC, date, datetime

import pytest
from starlette.requests import Request

from service.web.i18n import PageLocale, chosen_locale, switch_address


def _request(path: str = "/", query: str = "", cookie: str | None = None) -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return Request({"type": "http", "path": path, "query_string": query.encode(), "headers": headers})


@pytest.mark.parametrize(
    ("query", "cookie", "locale"),
    [
        ("", None, "nb"),
        ("lang=en", None, "en"),
        ("", "lang=en", "en"),
        ("lang=nb", "lang=en", "nb"),
        ("lang=de", "lang=en", "en"),  # an unknown choice is no choice
        ("lang=EN", None, "nb"),
        ("", "lang=fr", "nb"),
    ],
)
def test_the_page_is_in_bokmal_unless_the_reader_chose_english(
    query: str, cookie: str | None, locale: str
) -> None:
    assert chosen_locale(_request(query=query, cookie=cookie)) == locale


def test_the_link_to_the_other_language_keeps_the_page_and_its_query() -> None:
    assert switch_address(_request("/"), "en") == "/?lang=en"
    assert switch_address(_request("/", "county=46&offset=50"), "en") == "/?county=46&offset=50&lang=en"
    assert (
        switch_address(_request("/search", "q=vann+lekkasje&lang=en"), "nb")
        == "/search?q=vann+lekkasje&lang=nb"
    )
    assert switch_address(_request("/search", "q=" + "x" * 20_000), "en") == "/search?lang=en", (
        "never a whole text"
    )


def test_numbers_and_dates_are_written_as_the_reader_writes_them() -> None:
    nb, en = PageLocale("nb"), PageLocale("en")
    assert nb.number(0.8249, 2) == "0,82" and en.number(0.8249, 2) == "0.82"
    assert nb.number(20_000) == "20\xa0000" and en.number(20_000) == "20,000"
    assert nb.number(12.5) == "12,5"
    assert nb.percent(37.5) == "38\xa0%" and en.percent(37.5) == "38%"
    assert nb.date(date(2026, 12, 6)) == "6. des. 2026" and en.date(date(2026, 12, 6)) == "Dec 6, 2026"
    # A time stored in UTC is a day in Norway: 23:30 UTC on 31 December is New Year's Day in Oslo.
    assert nb.date(datetime(2026, 12, 31, 23, 30)) == "1. jan. 2027"
    assert nb.date(datetime(2026, 6, 1, 12, 0, tzinfo=UTC)) == "1. juni 2026"


def test_a_records_language_is_named_in_the_readers_language() -> None:
    assert PageLocale("nb").language_name("sv") == "svensk"
    assert PageLocale("en").language_name("sv") == "Swedish"
    assert PageLocale("nb").language_name("no") == "norsk"
