"""A page says a response's warning in its reader's language, and in English exactly as the API does."""

import pytest

from service.matching.confidence import no_good_match_warnings
from service.response_warnings import (
    ResponseWarning,
    match_warnings,
    search_warnings,
    written_text_warnings,
)
from service.web.i18n import PageLocale
from service.web.warning_texts import warning_text

EVERY_WARNING = [
    *written_text_warnings("sv", language_given=True),
    *written_text_warnings("de", language_given=False),
    *search_warnings("sv"),
    *match_warnings("need", "da"),
    *match_warnings("solution", "fi"),
    *no_good_match_warnings(None, "text", "hybrid", "solution"),
    *no_good_match_warnings(None, "need", "hybrid", "need"),
    *no_good_match_warnings(0.123, "text", "hybrid", "solution"),
    *no_good_match_warnings(0.2, "solution", "hybrid", "need"),
]


def test_every_kind_of_warning_is_there() -> None:
    assert len(EVERY_WARNING) == 9


@pytest.mark.parametrize("warning", EVERY_WARNING, ids=lambda warning: warning.message[:40])
def test_in_english_a_page_says_what_the_api_says(warning: ResponseWarning) -> None:
    assert warning_text(warning, PageLocale("en")) == warning.message


def test_a_warning_without_facts_is_shown_as_the_api_wrote_it() -> None:
    bare = ResponseWarning(code="no-good-match", message="Something the page cannot word.")
    assert warning_text(bare, PageLocale("nb")) == "Something the page cannot word."


def test_the_facts_stay_out_of_the_apis_answer() -> None:
    [warning] = search_warnings("sv")
    assert warning.model_dump() == {"code": "language-not-served", "message": warning.message}
    assert "facts" not in ResponseWarning.model_json_schema()["properties"]
