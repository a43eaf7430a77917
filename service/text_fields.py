"""Field and parameter types shared by the schemas and routers: limits a person can read in a 422."""

import re
from typing import Annotated

from annotated_types import Interval
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from service.identifiers import compact_kpi_code, normal_cpv_code
from service.language import has_letters, normalise_language

MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000
MAX_RECORD_ID = 2**63 - 1  # the largest SQL BIGINT; a larger id overflows the database driver
# [0-9], not \d: pydantic's regex reads \d as any Unicode digit ("٥٠", "５００１").
MUNICIPALITY_PATTERN = r"^[0-9]{4}$"
COUNTY_PATTERN = r"^[0-9]{2}$"
CPV_PREFIX_PATTERN = r"^[0-9]{2,8}$"
# What a pattern means, for the 422 a person reads instead of the regular expression.
PATTERN_MEANINGS = {
    MUNICIPALITY_PATTERN: "must be a four-digit municipality number (SSB numbering), e.g. 5001",
    COUNTY_PATTERN: "must be a two-digit county number, e.g. 50",
    CPV_PREFIX_PATTERN: "must be the first 2 to 8 digits of a CPV code, e.g. 4523",
}
# C0 and C1 control characters except tab, line feed and carriage return, which are text.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 surrogate pair: JSON can escape one ("\\ud800") but it is not a character.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def refuse_control_characters(value: str) -> str:
    """The value, unless it holds a control character (other than tab and line breaks) or a lone surrogate."""
    if found := _CONTROL_CHARACTER.search(value):
        raise ValueError(
            f"must not contain control characters: U+{ord(found.group()):04X} at position {found.start()}"
            " (tab and line breaks are allowed)"
        )
    if found := _LONE_SURROGATE.search(value):
        raise ValueError(
            f"must not contain U+{ord(found.group()):04X} at position {found.start()}: half of a"
            " UTF-16 surrogate pair is not a character"
        )
    return value


NoControlCharacters = AfterValidator(refuse_control_characters)


def _language(value: object) -> object:
    if isinstance(value, str):
        normal = normalise_language(value)
        if normal is None:
            raise ValueError(
                "language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk), 'en' (English)"
                " or another language's two-letter code, e.g. 'sv' (Swedish)"
            )
        return normal
    return value


def require_letters(value: str) -> str:
    """The value, unless it has no letters (digits, symbols or emoji only): there is nothing to match."""
    if not has_letters(value):
        raise ValueError("must contain words: it has no letters, only digits, symbols or emoji")
    return value


def _kpi_codes(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(compact_kpi_code(code) for code in codes))


def _cpv_codes(codes: list[str]) -> list[str]:
    normal = []
    for code in codes:
        cpv = normal_cpv_code(code)
        if cpv is None:
            raise ValueError(f"'{code}' is not a CPV code (eight digits, optionally '-' and a check digit)")
        normal.append(cpv)
    return list(dict.fromkeys(normal))


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_LENGTH),
    NoControlCharacters,
]
Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    NoControlCharacters,
    AfterValidator(require_letters),
]
# An ISO 639-1 code (two or three letters as sent, two as stored); detection gives the same codes.
LanguageField = Annotated[
    str, BeforeValidator(_language), StringConstraints(min_length=2, max_length=3), NoControlCharacters
]
KpiCodes = Annotated[
    list[Annotated[str, StringConstraints(max_length=30), NoControlCharacters]],
    Field(max_length=50),
    AfterValidator(_kpi_codes),
]
CpvCodes = Annotated[
    list[Annotated[str, StringConstraints(max_length=12), NoControlCharacters]],
    Field(max_length=50),
    AfterValidator(_cpv_codes),
]
Sdgs = Annotated[list[Annotated[int, Field(ge=1, le=17)]], Field(max_length=17)]
MunicipalityNumber = Annotated[str, StringConstraints(pattern=MUNICIPALITY_PATTERN)]
CountyNumber = Annotated[str, StringConstraints(pattern=COUNTY_PATTERN)]
KpiCodeText = Annotated[str, StringConstraints(min_length=1, max_length=30), NoControlCharacters]
KpiCode = Annotated[KpiCodeText, AfterValidator(compact_kpi_code)]  # in the compact form, EC-I-WS-3C
SearchText = Annotated[str, StringConstraints(max_length=100), NoControlCharacters]
# An id in a path, query or body: 1 up to what SQL stores, so that a huge one is a 422, not a 500.
RecordId = Annotated[int, Interval(ge=1, le=MAX_RECORD_ID)]
Trl = Annotated[int, Field(ge=1, le=9, description="Technology readiness level, 1-9.")]
