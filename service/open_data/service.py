"""Which open-data files there are, what each row holds, and the bytes of a file as they are read.

Open data is the public part by definition: every file is what an anonymous caller may read, whoever
downloads it, so no caller is taken here. Needs: every published status, without the contact person;
solutions: the published ones, with their supplier's public profile; KPI gaps: the gap analysis of
every municipality (service/kpis/gaps.py), with its evidence. Demo records carry `synthetic` = true.
No feedback, accounts, tokens, drafts or audit events are read at all.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from service.errors import NotFoundError
from service.exports import CSV_MEDIA_TYPE, Cell, csv_chunks
from service.kpis.gaps import GapAnalysis, KpiStanding, gap_key, is_gap
from service.open_data import repository

LICENCE_URL = "https://data.norge.no/nlod/no/2.0"
LICENCE_NAME = "Norsk lisens for offentlige data (NLOD) 2.0"
JSONL_MEDIA_TYPE = "application/jsonl; charset=utf-8"
FileFormat = Literal["csv", "jsonl"]
FORMATS: tuple[FileFormat, ...] = ("csv", "jsonl")
PAGE_ROWS = 1000  # rows per query: a short read each, whatever the size of the catalogue

NEED_HEADER = (
    "id",
    "url",
    "title",
    "description",
    "language",
    "status",
    "origin",
    "municipality_number",
    "municipality_name",
    "county_number",
    "county_name",
    "kpi_codes",
    "cpv_codes",
    "trl_min",
    "notice_id",
    "notice_deadline",
    "notice_url",
    "evidence",
    "translations",
    "synthetic",
    "created_at",
    "updated_at",
)
SOLUTION_HEADER = (
    "id",
    "url",
    "title",
    "description",
    "language",
    "supplier_id",
    "supplier_name",
    "supplier_organisation_number",
    "supplier_website",
    "kpi_codes",
    "sdgs",
    "trl",
    "cpv_codes",
    "regions_served",
    "reference_municipalities",
    "synthetic",
    "created_at",
    "updated_at",
)
KPI_GAP_HEADER = (
    "municipality_number",
    "municipality_name",
    "kpi_code",
    "kpi_name_no",
    "kpi_name_en",
    "data_point",
    "year",
    "value",
    "unit",
    "source",
    "direction",
    "target",
    "target_kind",
    "target_source",
    "percent_of_target",
    "band",
    "severity",
    "trend",
    "trend_change",
    "trend_from_year",
    "need_id",
    "need_url",
    "synthetic",
)

Sessions = sessionmaker[Session]
Rows = Iterator[Sequence[Cell]]


@dataclass(frozen=True)
class Dataset:
    name: str
    header: tuple[str, ...]
    rows: Callable[[Sessions, str, int], Rows]  # (sessions, public base URL, weakest band that is a gap)


@dataclass(frozen=True)
class OpenDataFile:
    filename: str
    media_type: str
    chunks: Iterator[bytes]


class UnknownOpenDataFile(NotFoundError):
    """A 404 that names the files there are."""

    def __init__(self, name: str) -> None:
        super().__init__("Open-data file", name)
        self.args = (f"There is no open-data file {name!r}. The files are: {', '.join(file_names())}.",)


def _keyset_pages(sessions: Sessions, read: Callable[[Session, int, int], Sequence[Any]]) -> Iterator[Any]:
    """Every row `read` gives, a page at a time, each page read in a session of its own."""
    after = 0
    while True:
        with sessions() as session:
            page = read(session, after, PAGE_ROWS)
        yield from page
        if len(page) < PAGE_ROWS:
            return
        after = page[-1][0]


def _need_rows(sessions: Sessions, base_url: str, _max_band: int) -> Rows:
    for row in _keyset_pages(sessions, repository.public_needs_after):
        need_id, *fields, evidence, translations, demo, created_at, updated_at = row
        # A need generated from a synthetic KPI value is no real need either, whoever's it is.
        synthetic = bool(demo or (evidence or {}).get("synthetic"))
        yield [
            need_id,
            f"{base_url}/needs/{need_id}",
            *fields,
            evidence,
            translations,
            synthetic,
            created_at,
            updated_at,
        ]


def _solution_rows(sessions: Sessions, base_url: str, _max_band: int) -> Rows:
    for row in _keyset_pages(sessions, repository.published_solutions_after):
        solution_id, *fields, solution_demo, supplier_demo, created_at, updated_at = row
        synthetic = bool(solution_demo or supplier_demo)
        yield [solution_id, f"{base_url}/solutions/{solution_id}", *fields, synthetic, created_at, updated_at]


def _gap_row(
    standing: KpiStanding, municipality_name: str | None, need_id: int | None, base_url: str
) -> list[Cell]:
    latest, target, trend = standing.latest, standing.target, standing.trend
    return [
        latest.municipality_number,
        municipality_name,
        standing.kpi.code,
        standing.kpi.name_no,
        standing.kpi.name_en,
        standing.data_point,
        latest.year,
        latest.value,
        latest.unit,
        latest.source,
        standing.direction,
        target.value if target else None,
        target.kind if target else None,
        target.source if target else None,
        standing.percent_of_target,
        standing.band,
        standing.severity,
        trend.direction if trend else None,
        trend.change if trend else None,
        trend.from_year if trend else None,
        need_id,
        f"{base_url}/needs/{need_id}" if need_id else None,
        latest.synthetic,
    ]


def _gap_rows(sessions: Sessions, base_url: str, max_band: int) -> Rows:
    """The analysis reads every observation at once (as the gap pages do): a bounded set, municipalities
    times KPIs times years; the generated needs are looked up a page of gaps at a time."""
    with sessions() as session:
        analysis = GapAnalysis(session)
        names = repository.municipality_names(session)
    gaps = (standing for standing in analysis.all_standings() if is_gap(standing, max_band))
    while page := list(islice(gaps, PAGE_ROWS)):
        keys = [gap_key(s.latest.municipality_number, s.kpi.code, s.data_point) for s in page]
        with sessions() as session:
            need_ids = repository.need_ids_by_gap_key(session, keys)
        for standing, key in zip(page, keys, strict=True):
            municipality = standing.latest.municipality_number
            yield _gap_row(standing, names.get(municipality), need_ids.get(key), base_url)


DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset("needs", NEED_HEADER, _need_rows),
        Dataset("solutions", SOLUTION_HEADER, _solution_rows),
        Dataset("kpi-gaps", KPI_GAP_HEADER, _gap_rows),
    )
}


def file_names() -> list[str]:
    return [f"{name}.{file_format}" for name in DATASETS for file_format in FORMATS]


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def jsonl_chunks(header: Sequence[str], rows: Rows, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """One JSON object per line (JSON Lines), UTF-8, values as they are: lists stay lists."""
    lines: list[str] = []
    for row in rows:
        record = dict(zip(header, row, strict=True))
        lines.append(json.dumps(record, ensure_ascii=False, default=_json_value) + "\n")
        if len(lines) == rows_per_chunk:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def open_file(*, sessions: Sessions, name: str, base_url: str, gap_max_band: int) -> OpenDataFile:
    """The file `name` (e.g. needs.csv), its bytes read as they are sent; unknown names are a 404."""
    dataset_name, _, file_format = name.rpartition(".")
    dataset = DATASETS.get(dataset_name)
    if dataset is None or file_format not in FORMATS:
        raise UnknownOpenDataFile(name)
    rows = dataset.rows(sessions, base_url.rstrip("/"), gap_max_band)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    filename = f"innomatch-{dataset.name}-{stamp}.{file_format}"
    if file_format == "csv":
        return OpenDataFile(filename, CSV_MEDIA_TYPE, csv_chunks(dataset.header, rows))
    return OpenDataFile(filename, JSONL_MEDIA_TYPE, jsonl_chunks(dataset.header, rows))
