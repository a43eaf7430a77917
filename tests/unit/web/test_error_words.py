"""Which paths are pages, and a page's validation errors as sentences a person can act on."""

import pytest

from service import text_fields
from service.text_fields import COUNTY_PATTERN
from service.web.errors import is_page
from service.web.i18n import PageLocale
from service.web.messages import PATTERN_MEANINGS, field_problem

ENGLISH = PageLocale("en")


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", True),
        ("/needs/12", True),
        ("/no-such-page", True),
        ("/docs", True),
        ("/apiary", True),
        ("/healthy", True),
        ("/api", False),
        ("/api/v1/needs/12", False),
        ("/api/nowhere", False),
        ("/health", False),
        ("/metrics", False),
        ("/openapi.json", False),
        ("/static/favicon.svg", False),
        ("/mcp", False),  # the MCP server's endpoint answers JSON, never an error page
        ("/mcpx", True),
    ],
)
def test_every_path_is_a_page_but_the_api_and_the_machine_paths(path: str, page: bool) -> None:
    assert is_page(path) is page


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (
            {
                "type": "string_too_long",
                "loc": ("query", "q"),
                "input": "x" * 25_000,
                "ctx": {"max_length": 20_000},
            },
            "The search text is too long: at most 20,000 characters, not 25,000.",
        ),
        (
            {"type": "string_too_short", "loc": ("query", "q"), "input": "   ", "ctx": {"min_length": 1}},
            "The search text is empty: write something here.",
        ),
        (
            {"type": "string_too_short", "loc": ("query", "q"), "input": "ab", "ctx": {"min_length": 3}},
            "The search text is too short: at least 3 characters.",
        ),
        (
            {"type": "int_parsing", "loc": ("path", "need_id"), "input": "7" * 30 + "abcdefghijklmnop"},
            f"The need number in the address must be a whole number, not “{'7' * 30}abcdefghij…”.",
        ),
        (
            {"type": "greater_than_equal", "loc": ("query", "offset"), "input": "-1", "ctx": {"ge": 0}},
            "The position in the list must be at least 0.",
        ),
        (
            {"type": "less_than_equal", "loc": ("query", "limit"), "input": "500", "ctx": {"le": 200}},
            "The number of needs on a page must be at most 200.",
        ),
        (
            {
                "type": "literal_error",
                "loc": ("query", "dimension"),
                "input": "Weather",
                "ctx": {"expected": "'Economy', 'Environment' or 'Society and Culture'"},
            },
            "The U4SSC dimension must be one of 'Economy', 'Environment' or 'Society and Culture', not “Weather”.",
        ),
        (
            {
                "type": "string_pattern_mismatch",
                "loc": ("query", "county"),
                "input": "5",
                "ctx": {"pattern": COUNTY_PATTERN},
            },
            "The county must be a two-digit county number, e.g. 50, not “5”.",
        ),
        (
            {
                "type": "value_error",
                "loc": ("query", "language"),
                "input": "xx",
                "msg": "Value error, language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk),"
                " 'en' (English) or another language's two-letter code, e.g. 'sv' (Swedish)",
            },
            "The language is not valid: language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or"
            " Nynorsk), 'en' (English) or another language's two-letter code, e.g. 'sv' (Swedish).",
        ),
        (
            {"type": "missing", "loc": ("query", "colour"), "msg": "Field required"},
            "The field “colour” is missing.",
        ),
    ],
)
def test_a_validation_error_reads_as_a_sentence(error: dict[str, object], sentence: str) -> None:
    assert field_problem(error, ENGLISH) == sentence


def test_the_pages_say_what_a_pattern_means_as_the_api_does() -> None:
    assert PATTERN_MEANINGS == text_fields.PATTERN_MEANINGS
