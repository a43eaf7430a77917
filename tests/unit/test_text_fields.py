"""The shared field types: lengths, control characters, languages, KPI and CPV lists, numbers and ids."""

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from service.text_fields import (
    MAX_RECORD_ID,
    CountyNumber,
    CpvCodes,
    Description,
    KpiCodes,
    LanguageField,
    MunicipalityNumber,
    RecordId,
    Sdgs,
    Title,
    Trl,
    refuse_control_characters,
)


def valid(field: Any, value: object) -> object:
    return TypeAdapter(field).validate_python(value)


def messages(field: Any, value: object) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        valid(field, value)
    return [error["msg"] for error in raised.value.errors()]


def test_a_title_is_stripped_and_between_one_and_300_characters() -> None:
    assert valid(Title, "  Vannlekkasje \n") == "Vannlekkasje"
    assert valid(Title, "x" * 300) == "x" * 300
    assert messages(Title, "x" * 301) == ["String should have at most 300 characters"]
    assert messages(Title, " \t ") == ["String should have at least 1 character"]


def test_a_description_keeps_tabs_and_line_breaks_inside() -> None:
    text = "Linje 1\r\nLinje 2\n\tinnrykk"
    assert valid(Description, text) == text


@pytest.mark.parametrize(
    ("value", "code", "position"),
    [
        ("ab\x07c", "0007", 2),
        ("\x00", "0000", 0),
        ("a\x0bb", "000B", 1),
        ("ok\x7f", "007F", 2),
        ("é\x85", "0085", 1),
    ],
)
def test_control_characters_are_named_by_code_point_and_position(
    value: str, code: str, position: int
) -> None:
    with pytest.raises(ValueError) as raised:
        refuse_control_characters(value)
    assert str(raised.value) == (
        f"must not contain control characters: U+{code} at position {position} (tab and line breaks are allowed)"
    )


def test_a_lone_surrogate_is_named_as_half_of_a_pair() -> None:
    with pytest.raises(ValueError) as raised:
        refuse_control_characters("a\udc00")
    assert str(raised.value) == (
        "must not contain U+DC00 at position 1: half of a UTF-16 surrogate pair is not a character"
    )


def test_characters_beyond_the_control_ranges_pass() -> None:
    assert refuse_control_characters("Ærøy \u00a0– 😀") == "Ærøy \u00a0– 😀"


def test_a_title_with_a_control_character_is_refused_as_a_value_error() -> None:
    assert messages(Title, "Vann\x1blekkasje") == [
        "Value error, must not contain control characters: U+001B at position 4 (tab and line breaks are allowed)"
    ]


def test_languages_are_normalised_to_iso_639_1_and_unknown_ones_refused_by_name() -> None:
    assert valid(LanguageField, "NB") == "no"
    assert valid(LanguageField, "eng") == "en"
    assert valid(LanguageField, "de") == "de"
    assert valid(LanguageField, "swe") == "sv"
    assert messages(LanguageField, "xx") == [
        "Value error, language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk), 'en' (English)"
        " or another language's two-letter code, e.g. 'sv' (Swedish)"
    ]


@pytest.mark.parametrize("text", ["🙂🙂🙂", "2024", "-- ?? --", "💧 100 %"])
def test_a_description_or_search_text_without_letters_is_refused(text: str) -> None:
    assert messages(Description, text) == [
        "Value error, must contain words: it has no letters, only digits, symbols or emoji"
    ]


@pytest.mark.parametrize("text", ["5G", "水漏れ", "CO2-utslipp", "Ærøy"])
def test_a_description_with_a_letter_in_any_script_passes(text: str) -> None:
    assert valid(Description, text) == text


def test_kpi_codes_are_compacted_and_duplicates_dropped_in_order() -> None:
    assert valid(KpiCodes, ["sc: sh: sa: 5a", "EC-I-WS-3C", "SC-SH-SA-5A"]) == ["SC-SH-SA-5A", "EC-I-WS-3C"]


def test_at_most_50_kpi_codes_of_at_most_30_characters() -> None:
    assert messages(KpiCodes, ["A"] * 51) == ["List should have at most 50 items after validation, not 51"]
    assert messages(KpiCodes, ["A" * 31]) == ["String should have at most 30 characters"]


def test_cpv_codes_lose_their_check_digit_and_duplicates() -> None:
    assert valid(CpvCodes, ["38421100-3", "48000000", "38421100"]) == ["38421100", "48000000"]


def test_a_wrong_cpv_code_is_named() -> None:
    assert messages(CpvCodes, ["48000000", "4800"]) == [
        "Value error, '4800' is not a CPV code (eight digits, optionally '-' and a check digit)"
    ]


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        (MunicipalityNumber, "0301", ["301", "03011", "03a1", "０３０１", "٠٣٠١"]),
        (CountyNumber, "03", ["3", "030", "0a", "０３", "٠٣"]),
    ],
)
def test_municipality_and_county_numbers_have_four_and_two_digits(
    field: Any, good: str, bad: list[str]
) -> None:
    assert valid(field, good) == good
    for value in bad:
        with pytest.raises(ValidationError):
            valid(field, value)


@pytest.mark.parametrize(("field", "lowest", "highest"), [(RecordId, 1, MAX_RECORD_ID), (Trl, 1, 9)])
def test_ids_and_trls_are_bounded_on_both_sides(field: Any, lowest: int, highest: int) -> None:
    assert valid(field, lowest) == lowest
    assert valid(field, highest) == highest
    for value in (lowest - 1, highest + 1):
        with pytest.raises(ValidationError):
            valid(field, value)


def test_the_largest_record_id_is_the_largest_sql_bigint() -> None:
    assert MAX_RECORD_ID == 9_223_372_036_854_775_807


def test_sdgs_are_goals_1_to_17() -> None:
    assert valid(Sdgs, [1, 17]) == [1, 17]
    for goals in ([0], [18], [*range(1, 18), 1]):  # 18 goals: one too many
        with pytest.raises(ValidationError):
            valid(Sdgs, goals)
