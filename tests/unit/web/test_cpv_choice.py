"""CPV codes chosen on a form: ticked divisions and typed codes become one list in the API's shape,
and a stored list is split back into what is ticked and what is typed."""

import json

from service.cpv_divisions import DIVISIONS_FILE, cpv_divisions, division_of, is_division
from service.web.cpv_choice import chosen_codes, stored_choice


def test_the_vocabulary_has_the_45_divisions_of_cpv_2008_with_both_names() -> None:
    divisions = cpv_divisions()
    assert len(divisions) == 45
    assert len({division.prefix for division in divisions}) == 45
    assert all(division.code == f"{division.prefix}000000" for division in divisions)
    assert all(division.name_no and division.name_en for division in divisions)
    assert "not DFØ's official" in json.loads(DIVISIONS_FILE.read_text(encoding="utf-8"))["source"]


def test_a_code_lies_in_the_division_of_its_first_two_digits() -> None:
    software = division_of("48614000")
    assert software is not None and software.name_no == "Programvarepakker og informasjonssystemer"
    assert division_of("72") == division_of("72316000") != software
    assert division_of("99000000") is None
    assert is_division("48000000") and not is_division("48614000")


def test_ticked_divisions_come_first_then_typed_codes_each_once() -> None:
    sent = {"cpv_divisions": ["48000000", "72000000"], "cpv_codes": ["", "72316000; 48000000,\n45233000-9"]}
    assert chosen_codes(sent) == ["48000000", "72000000", "72316000", "45233000-9"]
    assert chosen_codes({}) == []


def test_a_stored_list_ticks_its_divisions_and_types_the_rest() -> None:
    shown = stored_choice(["48000000", "72316000", "90000000-7", "45233000-9"])
    assert shown == {"cpv_divisions": ["48000000", "90000000"], "cpv_codes": "72316000, 45233000-9"}
