"""Reading KPI observations from CSV, naming the line of every problem."""

import csv
import io
from collections.abc import Iterable

from pydantic import ValidationError

from service.kpis.schemas import ObservationIn

REQUIRED_COLUMNS = ("municipality_number", "kpi_code", "year", "value", "unit", "source")
OPTIONAL_COLUMNS = ("data_point", "synthetic")
_TRUE = {"true", "1", "yes", "ja"}
_FALSE = {"false", "0", "no", "nei", ""}


class CsvProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_observations(text: str) -> list[ObservationIn]:
    """Parse the whole file or raise CsvProblems listing every bad line (line 1 is the header)."""
    dialect = _sniff(text)
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CsvProblems(
            [f"line 1: missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}"]
        )
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise CsvProblems([f"line 1: unknown column(s) {', '.join(unknown)}"])
    rows, problems = [], []
    for line, record in enumerate(reader, start=2):
        if None in record:
            problems.append(f"line {line}: more fields than columns")
            continue
        try:
            rows.append(ObservationIn.model_validate(_typed(record)))
        except ValidationError as error:
            problems.extend(_describe(line, error))
        except ValueError as error:
            problems.append(f"line {line}: {error}")
    if problems:
        raise CsvProblems(problems)
    if not rows:
        raise CsvProblems(["the file has a header but no observations"])
    return rows


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _typed(record: dict[str, str | None]) -> dict[str, object]:
    values: dict[str, object] = {key: (value or "").strip() for key, value in record.items()}
    value = str(values["value"]).replace(" ", "").replace(",", ".")  # Norwegian decimal comma
    values["value"] = value
    synthetic = str(values.get("synthetic", "")).lower()
    if synthetic not in _TRUE | _FALSE:
        raise ValueError(f"synthetic must be true or false, got '{synthetic}'")
    values["synthetic"] = synthetic in _TRUE
    return values


def _describe(line: int, error: ValidationError) -> Iterable[str]:
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        yield f"line {line}, {field}: {item['msg']}"
