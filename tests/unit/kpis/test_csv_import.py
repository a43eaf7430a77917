"""Reading KPI observations from CSV: dialects, Norwegian numbers and yes/no, and every bad line named
(tests/kpis/test_csv_import.py has the common malformed files and the command)."""

import pytest

from service.kpis.csv_import import REQUIRED_COLUMNS, CsvProblems, read_observations

HEADER = "municipality_number,kpi_code,year,value,unit,source"


def problems_of(text: str) -> list[str]:
    with pytest.raises(CsvProblems) as raised:
        read_observations(text)
    return raised.value.problems


def test_tabs_spaces_in_numbers_and_the_data_point_are_read() -> None:
    text = "municipality_number\tkpi_code\tyear\tvalue\tunit\tsource\tdata_point\n5001\tEN-E-TR-1C\t2023\t1 234,5\t%\tSSB\t private \n"
    [row] = read_observations(text)
    assert (row.kpi_code, row.value, row.data_point, row.synthetic) == (
        "EN-E-TR-1C",
        1234.5,
        "private",
        False,
    )


@pytest.mark.parametrize(
    ("written", "synthetic"), [("Ja", True), ("yes", True), ("1", True), ("nei", False), ("", False)]
)
def test_synthetic_is_read_as_yes_or_no_in_either_language(written: str, synthetic: bool) -> None:
    [row] = read_observations(f"{HEADER},synthetic\n5001,EC-I-WS-3C,2023,30,%,x,{written}\n")
    assert row.synthetic is synthetic


def test_every_bad_line_is_named_not_only_the_first() -> None:
    problems = problems_of(
        f"{HEADER}\n5001,EC-I-WS-3C,2023,30,%,x\n5001,EC-I-WS-3C,2023,lots,%,x\n5001,EC-I-WS-3C,2023,30,%,x,9\n"
    )
    assert problems[0].startswith("line 3, value: ")
    assert problems[1] == "line 4: more fields than columns"
    assert len(problems) == 2


def test_a_short_line_names_each_missing_field() -> None:
    problems = problems_of(f"{HEADER}\n5001,EC-I-WS-3C,2023\n")
    assert [problem.split(":")[0] for problem in problems] == [
        "line 2, value",
        "line 2, unit",
        "line 2, source",
    ]


def test_an_empty_file_misses_every_column() -> None:
    assert problems_of("") == [
        f"line 1: missing column(s) {', '.join(REQUIRED_COLUMNS)}; expected {', '.join(REQUIRED_COLUMNS)}"
    ]


def test_a_line_with_several_problems_names_each_field() -> None:
    problems = problems_of(f"{HEADER}\n501,EC-I-WS-3C,1980,30,%,x\n")
    assert [problem.split(":")[0] for problem in problems] == [
        "line 2, municipality_number",
        "line 2, year",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="bug: only U+0020 is removed from numbers, but Norwegian Excel groups thousands with a no-break "
    "space (U+00A0) or a narrow one (U+202F), so its '1 234,5' is refused",
)
@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_numbers_grouped_with_a_no_break_space_are_read(space: str) -> None:
    text = f"{HEADER.replace(',', ';')}\n5001;EC-ICT-ICT-2C;2023;1{space}234,5;per 100 000;x\n"
    [row] = read_observations(text)
    assert row.value == 1234.5
