"""Reading KPI observations from CSV, naming the line of every problem."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from service.kpis.schemas import ObservationIn
from service.reasons import Fact, Reason

REQUIRED_COLUMNS = ("municipality_number", "kpi_code", "year", "value", "unit", "source")
OPTIONAL_COLUMNS = ("data_point", "synthetic")
_TRUE = {"true", "1", "yes", "ja"}
_FALSE = {"false", "0", "no", "nei", ""}


@dataclass(frozen=True)
class RowProblem:
    """What is wrong where: a line of the file (1 is the header; None, the file as a whole) and a field."""

    line: int | None
    field: str  # "" for the whole line
    message: str
    # The message as data, for a page to say in its reader's language: a code of this module's
    # ("missing_columns", "unknown_columns", "more_fields", "no_observations", "synthetic"), of
    # service.kpis.service's, or "invalid" with pydantic's error (type, ctx, input, msg).
    reason: Reason | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return (
            f"line {self.line}, {self.field}: {self.message}"
            if self.field
            else f"line {self.line}: {self.message}"
        )


class CsvProblems(Exception):
    def __init__(self, rows: list[RowProblem]) -> None:
        self.rows = rows
        self.problems = [str(row) for row in rows]
        super().__init__("\n".join(self.problems))


def read_observations(text: str) -> list[ObservationIn]:
    """Parse the whole file or raise CsvProblems listing every bad line (line 1 is the header)."""
    dialect = _sniff(text)
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        expected = ", ".join(REQUIRED_COLUMNS)
        message = f"missing column(s) {', '.join(missing)}; expected {expected}"
        facts = {"missing": ", ".join(missing), "expected": expected}
        raise CsvProblems([RowProblem(1, "", message, Reason("missing_columns", facts))])
    unknown = [column for column in header if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        message = f"unknown column(s) {', '.join(unknown)}"
        raise CsvProblems(
            [RowProblem(1, "", message, Reason("unknown_columns", {"unknown": ", ".join(unknown)}))]
        )
    rows: list[ObservationIn] = []
    problems: list[RowProblem] = []
    for line, record in enumerate(reader, start=2):
        if None in record:
            problems.append(RowProblem(line, "", "more fields than columns", Reason("more_fields")))
            continue
        try:
            rows.append(ObservationIn.model_validate(_typed(record)))
        except ValidationError as error:
            problems.extend(_describe(line, error))
        except _NotTrueOrFalse as error:
            reason = Reason("synthetic", {"value": error.value})
            problems.append(RowProblem(line, "", str(error), reason))  # the message names its column
    if problems:
        raise CsvProblems(problems)
    if not rows:
        message = "the file has a header but no observations"
        raise CsvProblems([RowProblem(None, "", message, Reason("no_observations"))])
    return rows


def write_observations(observations: Iterable[ObservationIn]) -> str:
    """The observations as a file `read_observations` reads back to the same observations."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    for row in observations:
        values = row.model_dump()
        values["value"] = repr(row.value)
        values["synthetic"] = "true" if row.synthetic else "false"
        writer.writerow([values[column] for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS])
    return out.getvalue()


class _NotTrueOrFalse(ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(f"synthetic must be true or false, got '{value}'")
        self.value = value


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The delimiter of the header line; a quote inside a quoted field is doubled, as Excel and
    `write_observations` write it (the sniffer cannot tell that from a header without quotes)."""
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel
    dialect.doublequote = True
    return dialect


def _typed(record: dict[str, str | None]) -> dict[str, object]:
    values: dict[str, object] = {key: (value or "").strip() for key, value in record.items()}
    value = str(values["value"]).replace(" ", "").replace(",", ".")  # Norwegian decimal comma
    values["value"] = value
    synthetic = str(values.get("synthetic", "")).lower()
    if synthetic not in _TRUE | _FALSE:
        raise _NotTrueOrFalse(synthetic)
    values["synthetic"] = synthetic in _TRUE
    return values


def _describe(line: int, error: ValidationError) -> Iterable[RowProblem]:
    for item in error.errors():
        facts: dict[str, Fact] = {
            "type": item["type"],
            "input": _plain(item.get("input")),
            "msg": item["msg"],
        }
        facts["ctx"] = {key: _plain(value) for key, value in (item.get("ctx") or {}).items()}
        yield RowProblem(
            line, ".".join(str(part) for part in item["loc"]), item["msg"], Reason("invalid", facts)
        )


def _plain(value: object) -> str | int | float | bool | None:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
