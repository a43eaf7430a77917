"""KPI observations from Statistics Norway (SSB): PxWebApi v0 queries answered in JSON-stat2.

SSB's StatBank API takes a POST of {"query": [...], "response": {"format": "json-stat2"}} to
https://data.ssb.no/api/v0/no/table/<table>; it allows 30 queries a minute per address and 800 000
cells a query. Missing cells come as null values with a status symbol (".." not available,
":" confidential, "." not applicable).
"""

import json
import logging
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError
from pyjstat import pyjstat
from sqlalchemy.orm import Session
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

from service.access import Principal
from service.errors import FieldError, FieldErrors
from service.http_retries import excerpt, log_retry, retry_after, wait_honouring_retry_after
from service.identifiers import is_ascii_number
from service.kpis.schemas import ImportResult, ObservationIn
from service.kpis.service import import_observations
from service.kpis.ssb_mapping import ObservationRule, SsbMapping
from service.municipalities.repository import existing_municipality_numbers

DEFAULT_BASE_URL = "https://data.ssb.no/api/v0/no/table"
DEFAULT_TIMEOUT = 30.0

_MISSING_STATUSES = {"..", ":", "."}
_MUNICIPALITY_CODE = re.compile(r"^(?:K-)?([0-9]{4})$")  # "0301", or "K-0301" from SSB's groupings
_YEAR = re.compile(r"^[0-9]{4}$")
_HINTS = {
    403: " (SSB refuses queries for more than 800 000 cells: select fewer regions or years)",
    404: " (no such table: check the table number)",
    429: " (SSB allows 30 queries a minute per address)",
}

logger = logging.getLogger(__name__)


class SsbImportError(Exception):
    """SSB could not be asked, or its answer cannot become observations; the message says why."""


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and waits (seconds) for timeouts, lost connections, 429 and 5xx answers."""

    attempts: int = 3
    first_wait: float = 1.0
    max_wait: float = 10.0


@dataclass(frozen=True)
class SsbRows:
    """Observations read from one answer, each with the cell it came from (for messages)."""

    observations: list[ObservationIn]
    origins: list[str]
    missing_values: int
    skipped_regions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class SsbImportReport:
    table: str
    result: ImportResult
    missing_values: int
    skipped_regions: set[str]


class _TransientFailure(Exception):
    """Worth another attempt; `retry_after` is SSB's Retry-After in seconds, when given."""

    def __init__(self, summary: str, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"{summary}: {detail}" if detail else summary)
        self.summary = summary
        self.detail = detail
        self.retry_after = retry_after

    def after(self, attempts: int) -> str:
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        return f"{self.summary} {tries}: {self.detail}" if self.detail else f"{self.summary} {tries}"


def fetch_dataset(
    client: httpx.Client,
    *,
    base_url: str,
    table: str,
    query: Mapping[str, Any],
    timeout: float = DEFAULT_TIMEOUT,
    retry: RetryPolicy = RetryPolicy(),
) -> dict[str, Any]:
    """POST the query for `table` and return the decoded JSON; SsbImportError says what went wrong."""
    url = f"{base_url.rstrip('/')}/{table}"
    body = {**query, "response": {"format": "json-stat2"}}
    retrying = Retrying(
        stop=stop_after_attempt(retry.attempts),
        wait=wait_honouring_retry_after(retry.first_wait, retry.max_wait),
        retry=retry_if_exception_type(_TransientFailure),
        before_sleep=log_retry(logger),
        reraise=True,
    )
    try:
        response = retrying(_post_once, client, url, body, table=table, timeout=timeout)
    except _TransientFailure as failure:
        attempts = retrying.statistics.get("attempt_number", retry.attempts)
        raise SsbImportError(failure.after(attempts)) from failure
    try:
        answer = response.json()
    except ValueError as error:
        raise SsbImportError(
            f"SSB answered {response.status_code} for table {table}, but not with JSON: {excerpt(response)}"
        ) from error
    if not isinstance(answer, dict):
        raise SsbImportError(
            f"SSB's answer for table {table} is not a JSON-stat2 dataset: {excerpt(response)}"
        )
    return answer


def _post_once(
    client: httpx.Client, url: str, body: dict[str, Any], *, table: str, timeout: float
) -> httpx.Response:
    try:
        response = client.post(url, json=body, timeout=httpx.Timeout(timeout))
    except httpx.TimeoutException as error:
        raise _TransientFailure(f"SSB did not answer within {timeout:g} s for table {table}") from error
    except httpx.TransportError as error:
        raise _TransientFailure(
            f"could not reach SSB at {url}", str(error) or type(error).__name__
        ) from error
    if response.is_success:
        return response
    status = response.status_code
    summary = f"SSB answered {status} {response.reason_phrase} for table {table}{_HINTS.get(status, '')}"
    if status == 429 or status >= 500:
        raise _TransientFailure(summary, excerpt(response), retry_after=retry_after(response))
    raise SsbImportError(f"{summary}: {excerpt(response)}")


def _counted(count: int, noun: str, plural: str | None = None) -> str:
    """The count and its noun, plural unless the count is one: "1 cell", "2 cells"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def read_dataset(dataset: Mapping[str, Any], mapping: SsbMapping) -> SsbRows:
    """Cells matched by the mapping's rules become observations; missing values are skipped and counted.

    SsbImportError when the answer is not JSON-stat2 or does not fit the mapping; FieldErrors naming
    each cell that does not make a valid observation (a region that is no municipality number, a year
    before 1990) unless the mapping skips regions that are not municipalities.
    """
    cube = _checked_json_stat2(dataset)
    _check_mapping_fits(cube, mapping)
    statuses: dict[int, str] = cube.pop("status")
    with warnings.catch_warnings():
        # pyjstat 2.4's own Dataset.write calls its deprecated from_json_stat.
        warnings.simplefilter("ignore", DeprecationWarning)
        frame = pyjstat.Dataset.read(json.dumps(cube)).write("dataframe", naming="id")
    observations: list[ObservationIn] = []
    origins: list[str] = []
    problems: list[FieldError] = []
    skipped: set[str] = set()
    missing = 0
    # pyjstat lists cells in JSON-stat's row-major order, so a row's position is its cell index.
    for cell, record in enumerate(frame.to_dict("records")):
        rules = [rule for rule in mapping.observations if _matches(rule, record)]
        if not rules:
            continue
        region = str(record[mapping.region_dimension])
        municipality = _MUNICIPALITY_CODE.match(region)
        if municipality is None and mapping.skip_unknown_regions:
            skipped.add(region)
            continue
        value = record["value"]
        if value is None or math.isnan(value) or statuses.get(cell) in _MISSING_STATUSES:
            missing += len(rules)
            continue
        origin = f"table {mapping.table}, " + ", ".join(
            f"{dimension} {record[dimension]}" for dimension in cube["id"]
        )
        for rule in rules:
            try:
                observations.append(
                    ObservationIn(
                        municipality_number=municipality.group(1) if municipality else region,
                        kpi_code=rule.kpi_code,
                        data_point=rule.data_point,
                        year=int(record[mapping.time_dimension]),
                        value=round(float(value) * rule.scale, 10),
                        unit=rule.unit,
                        source=mapping.source,
                    )
                )
                origins.append(origin)
            except ValidationError as error:
                problems.extend(
                    FieldError(("cell", cell, *item["loc"]), f"{origin}: {item['msg']}", item["type"])
                    for item in error.errors()
                )
    if problems:
        raise FieldErrors(problems)
    return SsbRows(
        observations=observations, origins=origins, missing_values=missing, skipped_regions=skipped
    )


def import_from_ssb(
    *,
    session: Session,
    client: httpx.Client,
    mapping: SsbMapping,
    caller: Principal,
    table: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = DEFAULT_TIMEOUT,
    retry: RetryPolicy = RetryPolicy(),
) -> SsbImportReport:
    """Fetch, read and store one table's observations in one transaction: all of them or none."""
    if table is not None:
        mapping = mapping.model_copy(update={"table": table})
    dataset = fetch_dataset(
        client,
        base_url=base_url,
        table=mapping.table,
        query=mapping.request_body(),
        timeout=timeout,
        retry=retry,
    )
    rows = without_unknown_regions(session, mapping, read_dataset(dataset, mapping))
    try:
        result = import_observations(
            session=session, observations=rows.observations, caller=caller, location="row"
        )
    except FieldErrors as errors:
        session.rollback()
        raise FieldErrors(named_cells(errors, rows.origins)) from errors
    return SsbImportReport(
        table=mapping.table,
        result=result,
        missing_values=rows.missing_values,
        skipped_regions=set(rows.skipped_regions),
    )


def without_unknown_regions(session: Session, mapping: SsbMapping, rows: SsbRows) -> SsbRows:
    """When the mapping skips unknown regions: the rows without the municipality numbers that are not in
    the catalogue (older numbers), those added to the skipped regions; else the rows as they are."""
    if not mapping.skip_unknown_regions:
        return rows
    numbers = {row.municipality_number for row in rows.observations}
    known = existing_municipality_numbers(session, numbers)
    kept = [index for index, row in enumerate(rows.observations) if row.municipality_number in known]
    return SsbRows(
        observations=[rows.observations[index] for index in kept],
        origins=[rows.origins[index] for index in kept],
        missing_values=rows.missing_values,
        skipped_regions=rows.skipped_regions | (numbers - known),
    )


def named_cells(errors: FieldErrors, origins: list[str]) -> list[FieldError]:
    """Errors located by row index ((location, index, ...)) with each message led by its cell's origin."""
    return [
        FieldError(error.location, f"{origins[int(error.location[1])]}: {error.message}", error.error_type)
        for error in errors.errors
    ]


def _matches(rule: ObservationRule, record: Mapping[str, Any]) -> bool:
    return all(str(record[dimension]) == code for dimension, code in rule.where.items())


def _checked_json_stat2(dataset: Mapping[str, Any]) -> dict[str, Any]:
    """A normalised copy (category indexes as dicts, dense values, statuses by cell) or SsbImportError."""

    def refuse(problem: str) -> SsbImportError:
        return SsbImportError(f"SSB's answer is not a usable JSON-stat2 dataset: {problem}")

    if not isinstance(dataset, Mapping):
        raise refuse("it is not a JSON object")
    if dataset.get("class") != "dataset":
        raise refuse(f"'class' is {dataset.get('class')!r}, expected 'dataset' (ask for format json-stat2)")
    version = str(dataset.get("version", "2.0"))
    if not version.startswith("2"):
        raise refuse(f"'version' is {version!r}, expected 2.0")
    ids, sizes, dimensions = dataset.get("id"), dataset.get("size"), dataset.get("dimension")
    if not isinstance(ids, list) or not ids or not all(isinstance(item, str) for item in ids):
        raise refuse("'id' must be a non-empty list of dimension names")
    if len(set(ids)) != len(ids):
        raise refuse(f"'id' names a dimension twice: {ids}")
    if not isinstance(sizes, list) or not all(isinstance(size, int) and size >= 0 for size in sizes):
        raise refuse("'size' must be a list of whole numbers")
    if len(sizes) != len(ids):
        raise refuse(
            f"'id' names {_counted(len(ids), 'dimension')} but 'size' gives {_counted(len(sizes), 'size')}"
        )
    if not isinstance(dimensions, Mapping):
        raise refuse("'dimension' is missing")
    normal_dimensions = {}
    for name, size in zip(ids, sizes, strict=True):
        index = _category_index(dimensions.get(name), name, size, refuse)
        labels = (dimensions[name].get("category") or {}).get("label") or {}
        normal_dimensions[name] = {
            "label": dimensions[name].get("label", name),
            "category": {"index": index, "label": {code: str(labels.get(code, code)) for code in index}},
        }
    cells = math.prod(sizes)
    values = _dense_values(dataset.get("value"), cells, refuse)
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": sizes,
        "dimension": normal_dimensions,
        "value": values,
        "status": _statuses(dataset.get("status"), cells, refuse),
    }


def _category_index(dimension: Any, name: str, size: int, refuse: Any) -> dict[str, int]:
    if not isinstance(dimension, Mapping) or not isinstance(dimension.get("category"), Mapping):
        raise refuse(f"dimension {name!r} is listed in 'id' but has no 'category'")
    category = dimension["category"]
    index = category.get("index")
    if index is None and isinstance(category.get("label"), Mapping) and len(category["label"]) == 1:
        index = list(category["label"])  # JSON-stat lets a single category go without an index
    if isinstance(index, list):
        index = {str(code): position for position, code in enumerate(index)}
    if not isinstance(index, Mapping):
        raise refuse(f"dimension {name!r} has no category index")
    if len(index) != size:
        raise refuse(
            f"dimension {name!r} has {_counted(len(index), 'category', 'categories')} but 'size' says {size}"
        )
    if sorted(index.values()) != list(range(size)):
        raise refuse(f"dimension {name!r} has category positions other than 0..{size - 1}")
    return {str(code): int(position) for code, position in index.items()}


def _dense_values(values: Any, cells: int, refuse: Any) -> list[float | None]:
    if isinstance(values, Mapping):  # JSON-stat's sparse form: {"cell index": value}
        dense: list[Any] = [None] * cells
        for key, value in values.items():
            if not is_ascii_number(str(key)) or int(key) >= cells:
                raise refuse(f"'value' has cell {key!r} outside the cube's {_counted(cells, 'cell')}")
            dense[int(key)] = value
        values = dense
    if not isinstance(values, list):
        raise refuse("'value' is missing")
    if len(values) != cells:
        raise refuse(
            f"'value' holds {_counted(len(values), 'number')} but 'size' makes {_counted(cells, 'cell')}"
        )
    for position, value in enumerate(values):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise refuse(f"cell {position} holds {value!r}, not a number or null")
    return values


def _statuses(status: Any, cells: int, refuse: Any) -> dict[int, str]:
    if status is None:
        return {}
    if isinstance(status, str):
        return dict.fromkeys(range(cells), status)
    if isinstance(status, list):
        if len(status) == 1:
            return dict.fromkeys(range(cells), str(status[0]))
        if len(status) != cells:
            raise refuse(f"'status' holds {_counted(len(status), 'symbol')} for {_counted(cells, 'cell')}")
        return {position: str(symbol) for position, symbol in enumerate(status) if symbol is not None}
    if isinstance(status, Mapping):
        if not all(is_ascii_number(str(key)) for key in status):
            raise refuse("'status' keys must be cell numbers")
        return {int(key): str(symbol) for key, symbol in status.items()}
    raise refuse("'status' must be a string, a list or an object")


def _check_mapping_fits(cube: Mapping[str, Any], mapping: SsbMapping) -> None:
    """The mapping's dimensions and codes exist in the answer and pick one cell per region and year."""
    dimensions: dict[str, dict[str, int]] = {
        name: cube["dimension"][name]["category"]["index"] for name in cube["id"]
    }
    table = mapping.table
    for role, name in (("region", mapping.region_dimension), ("time", mapping.time_dimension)):
        if name not in dimensions:
            raise SsbImportError(
                f"the mapping's {role} dimension {name!r} is not in table {table}; it has {', '.join(dimensions)}"
            )
    not_years = [code for code in dimensions[mapping.time_dimension] if not _YEAR.match(code)]
    if not_years:
        raise SsbImportError(
            f"table {table} gives time periods {', '.join(not_years[:5])} in {mapping.time_dimension!r}; "
            "only whole years (e.g. 2023) can become observations"
        )
    free = {mapping.region_dimension, mapping.time_dimension}
    for number, rule in enumerate(mapping.observations):
        for name, code in rule.where.items():
            if name not in dimensions:
                raise SsbImportError(
                    f"observations.{number} asks for dimension {name!r}, which is not in table {table}; "
                    f"it has {', '.join(dimensions)}"
                )
            if code not in dimensions[name]:
                raise SsbImportError(
                    f"observations.{number} asks for {name} {code!r}, which SSB did not return for table "
                    f"{table}; it returned {', '.join(list(dimensions[name])[:20])}"
                )
        for name, codes in dimensions.items():
            if name not in free and name not in rule.where and len(codes) > 1:
                raise SsbImportError(
                    f"dimension {name!r} of table {table} has {_counted(len(codes), 'value')} ({', '.join(list(codes)[:5])}) "
                    f"but observations.{number} does not say which one becomes {rule.kpi_code}: "
                    f'add it to "where"'
                )
