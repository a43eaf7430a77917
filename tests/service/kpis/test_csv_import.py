"""CSV import of KPI observations: every bad line named, nothing stored, re-import updates."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from service.cli import app
from service.kpis.csv_import import CsvProblems, read_observations
from tests.service.kpis.test_ssb_import import count_rows, session  # noqa: F401 (fixture)

HEADER = "municipality_number,kpi_code,year,value,unit,source,synthetic\n"


def test_semicolons_decimal_commas_and_official_codes_are_read() -> None:
    [row] = read_observations(
        "municipality_number;kpi_code;year;value;unit;source\n5001;EC: I: WS: 3C;2023;31,5;%;Norsk Vann\n"
    )
    assert (row.kpi_code, row.value, row.synthetic) == ("EC-I-WS-3C", 31.5, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kpi_code,year\nEC-I-WS-3C,2023\n",
            "line 1: missing column(s) municipality_number, value, unit, source",
        ),
        (HEADER.replace("synthetic", "colour"), "line 1: unknown column(s) colour"),
        (HEADER + "5001,EC-I-WS-3C,2023,thirty,%,x,false\n", "line 2, value: Input should be a valid number"),
        (
            HEADER + "5001,EC-I-WS-3C,1980,30,%,x,false\n",
            "line 2, year: Input should be greater than or equal to 1990",
        ),
        (HEADER + "5001,EC-I-WS-3C,2023,30,%,x,false,extra\n", "line 2: more fields than columns"),
        (HEADER + "5001,EC-I-WS-3C,2023,30,%,x,maybe\n", "line 2: synthetic must be true or false"),
        (HEADER, "the file has a header but no observations"),
    ],
)
def test_malformed_csv_names_the_line(text: str, message: str) -> None:
    with pytest.raises(CsvProblems) as problems:
        read_observations(text)
    assert any(problem.startswith(message) for problem in problems.value.problems), problems.value.problems


@pytest.mark.usefixtures("cli_environment")
class TestCommand:
    def test_a_bad_line_stores_nothing_and_is_named(self, tmp_path: Path, session: Session) -> None:  # noqa: F811
        path = tmp_path / "kpis.csv"
        path.write_text(
            HEADER
            + "5001,EC-I-WS-3C,2023,30,%,Norsk Vann,false\n"
            + "9999,EC-I-WS-3C,2023,30,%,Norsk Vann,false\n"
            + "5001,EC-ICT-ICT-2C,2023,30,per 100 000,x,false\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["import-kpis", str(path)])
        assert result.exit_code == 1
        assert "line 3: unknown municipality number '9999'" in result.stderr
        assert "line 4: EC-ICT-ICT-2C: this KPI is a percentage" in result.stderr
        assert count_rows(session) == 0

    def test_a_repeated_observation_names_the_line_it_repeats(self, tmp_path: Path, session: Session) -> None:  # noqa: F811
        path = tmp_path / "kpis.csv"
        line = "5001,EC-I-WS-3C,2023,30,%,Norsk Vann,false\n"
        path.write_text(
            HEADER + line + "5001,EC-I-WS-3C,2022,30,%,Norsk Vann,false\n" + line, encoding="utf-8"
        )
        result = CliRunner().invoke(app, ["import-kpis", str(path)])
        assert result.exit_code == 1
        assert "line 4: the same municipality, KPI, data point and year as line 2" in result.stderr
        assert count_rows(session) == 0

    def test_reimport_updates_instead_of_duplicating(self, tmp_path: Path, session: Session) -> None:  # noqa: F811
        path = tmp_path / "kpis.csv"
        path.write_text(HEADER + "5001,EC-I-WS-3C,2023,30,%,Norsk Vann,false\n", encoding="utf-8")
        assert "1 created" in CliRunner().invoke(app, ["import-kpis", str(path)]).stdout
        path.write_text(HEADER + "5001,EC-I-WS-3C,2023,28,%,Norsk Vann,false\n", encoding="utf-8")
        assert "0 created, 1 updated" in CliRunner().invoke(app, ["import-kpis", str(path)]).stdout
        assert count_rows(session) == 1
