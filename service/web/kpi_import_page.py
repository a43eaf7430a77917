"""KPI observations uploaded from a page by programme staff and administrators: the CSV format of
`innomatch import-kpis` (service/kpis/csv_import.py) or a JSON-stat2 answer from Statistics Norway
(SSB), all or nothing.

A JSON-stat2 file (recognised by its content, not its name) is read by a shipped mapping
(seed_data/ssb_mappings): the one for the table number SSB writes into the file, or the one chosen on the
form. Its observations are turned into the CSV format at the preview, so the confirmation is the same for
both kinds of file.

An upload is checked whole and previewed: each bad row is named (line, field, problem) and nothing is
written. A valid file shows what would change; the person confirms with a second form that carries
the file's text back with an HMAC of it keyed by their session's CSRF token, so the confirmed text is
the previewed one and of this session. The import is then service.kpis.service.import_observations,
the API's, and the page links the municipalities whose KPI standings changed.
"""

import hashlib
import hmac
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from service.deps import SessionDep
from service.errors import FieldErrors
from service.kpis.csv_import import CsvProblems, RowProblem, read_observations, write_observations
from service.kpis.gaps import GapAnalysis
from service.kpis.schemas import ObservationIn
from service.kpis.service import CSV_LINES, import_observations, planned_changes
from service.kpis.ssb import SsbImportError, SsbRows, named_cells, read_dataset, without_unknown_regions
from service.kpis.ssb_files import (
    MappingChoiceError,
    NotJsonStat,
    ShippedMapping,
    choose_mapping,
    json_stat_dataset,
    shipped_mappings,
)
from service.municipalities.repository import get_municipality
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.forms import SignedInUploadDep
from service.web.i18n import N_, page_locale
from service.web.import_texts import said
from service.web.staff_access import NOT_STAFF, STAFF_AND_ADMIN, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
IMPORT = "/kpis/import"
NO_FILE = N_("Choose a CSV or JSON-stat file to upload.")
NOT_UTF8 = N_("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
NOT_JSON_STAT = N_(
    "The file is JSON, but not a JSON-stat2 dataset from SSB. Download the table from SSB as JSON-stat2, "
    "or upload a CSV file."
)
NO_VALUES = N_("The file holds no values that the mapping for SSB table %(table)s reads.")
CHOICE_PROBLEMS = {
    "no_table": N_("The file does not say which SSB table it is from. Choose the mapping for its table."),
    "unknown_table": N_(
        "No mapping for SSB table %(table)s is shipped with Innomatch. Choose a mapping for the file, or ask "
        "for one to be added."
    ),
    "several": N_("Several mappings read SSB table %(table)s. Choose one."),
    "unknown_mapping": N_("That mapping no longer exists. Choose another one."),
    "other_table": N_(
        "The file is SSB table %(table)s, but the chosen mapping is for table %(mapping_table)s. Choose "
        "“automatic” or the mapping for table %(table)s."
    ),
}
NOT_THE_PREVIEWED = N_(
    "This is not the file that was previewed, or the preview is from another session. Upload the file again."
)


def _digest(csrf_token: str, text: str) -> str:
    """Binds a previewed file's text to the session that previewed it."""
    return hmac.new(csrf_token.encode(), text.encode(), hashlib.sha256).hexdigest()


def _lines(text: str) -> str:
    """The text with plain newlines: a browser sends a form field's line breaks as CRLF, so the text
    it sends back is compared in this form."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _page(request: Request, csrf_token: str, status: int = 200, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {
        "problems": [],
        "preview": None,
        "imported": None,
        "ssb": None,
        "cells": False,
        "mapping_problem": "",
        "chosen": "",
        "mappings": shipped_mappings(),
    }
    full = {**defaults, **context, "csrf_token": csrf_token}
    page = page_locale(request)
    full["problems"] = [said(problem, page) for problem in full["problems"]]
    return no_store(templates.TemplateResponse(request, "kpi_import.html", full, status_code=status))  # type: ignore[return-value]


def _refused(request: Request) -> Response:
    return error_page(request, 403, detail=page_locale(request).gettext(NOT_STAFF))


def _read(text: str, session: Session) -> tuple[list[ObservationIn], list[RowProblem]]:
    """The file's observations, or every problem: of its shape first, then of its references."""
    try:
        observations = read_observations(text)
    except CsvProblems as problems:
        return [], problems.rows
    try:
        planned_changes(session, observations)
    except FieldErrors as errors:
        rows = [
            RowProblem(
                int(error.location[1]) + 2,
                str(error.location[2]) if len(error.location) > 2 else "",
                error.message,
                error.reason,
            )
            for error in errors.errors
        ]
        return [], rows
    return observations, []


def _read_json_stat(
    session: Session, dataset: dict[str, Any], mapping: ShippedMapping
) -> tuple[SsbRows | None, list[RowProblem]]:
    """The observations of an SSB file (units and references checked as a CSV file's would be), or each
    problem, led by the table and dimensions of its cell."""
    try:
        rows = without_unknown_regions(session, mapping.mapping, read_dataset(dataset, mapping.mapping))
    except SsbImportError as error:
        return None, [RowProblem(None, "", str(error))]
    except FieldErrors as errors:
        return None, [_cell_problem(error.location, error.message) for error in errors.errors]
    if not rows.observations:
        return rows, []
    try:
        planned_changes(session, rows.observations)
    except FieldErrors as errors:
        named = named_cells(errors, rows.origins)
        return None, [_cell_problem(error.location, error.message) for error in named]
    return rows, []


def _cell_problem(location: tuple[Any, ...], message: str) -> RowProblem:
    return RowProblem(None, ".".join(str(part) for part in location[2:]), message)


def _preview(session: Session, observations: list[ObservationIn]) -> dict[str, Any]:
    changes, unchanged = planned_changes(session, observations)
    by_municipality: dict[str, list[Any]] = defaultdict(list)
    for change in changes:
        by_municipality[change.municipality_number].append(change)
    names = {number: _name(session, number) for number in by_municipality}
    return {
        "groups": [(number, names[number], by_municipality[number]) for number in sorted(by_municipality)],
        "created": sum(1 for change in changes if change.before is None),
        "updated": sum(1 for change in changes if change.before is not None),
        "unchanged": unchanged,
    }


def _name(session: Session, number: str) -> str:
    municipality = get_municipality(session, number)
    return municipality.name if municipality else number


def _standings(session: Session, numbers: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    analysis = GapAnalysis(session)
    return {
        number: [
            (s.kpi.code, s.data_point, s.latest.year, s.latest.value, s.band, s.percent_of_target)
            for s in analysis.standings_of_municipality(number)
        ]
        for number in numbers
    }


@router.get(IMPORT, response_class=HTMLResponse)
def import_form(request: Request, session: SessionDep) -> Response:
    """The upload form and the file format."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=IMPORT)
    if isinstance(person, Response):
        return person
    return _page(request, person.csrf_token)


@router.post(IMPORT, response_class=HTMLResponse)
def preview(request: Request, session: SessionDep, upload: SignedInUploadDep) -> Response:
    """Check the whole file and show what it would change; nothing is written."""
    if upload.person.principal.role not in STAFF_AND_ADMIN:
        return _refused(request)
    page, csrf = page_locale(request), upload.person.csrf_token
    if not upload.file:
        return _page(request, csrf, 422, problems=[RowProblem(None, "", page.gettext(NO_FILE))])
    try:
        text = _lines(upload.file.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return _page(request, csrf, 422, problems=[RowProblem(None, "", page.gettext(NOT_UTF8))])
    try:
        dataset = json_stat_dataset(text)
    except NotJsonStat:
        return _page(request, csrf, 422, problems=[RowProblem(None, "", page.gettext(NOT_JSON_STAT))])
    if dataset is not None:
        return _preview_json_stat(request, session, csrf, dataset, upload.fields.get("mapping", ""))
    observations, problems = _read(text, session)
    if problems:
        return _page(request, csrf, 422, problems=problems)
    preview = _preview(session, observations)
    return _page(request, csrf, preview=preview, content=text, digest=_digest(csrf, text))


def _preview_json_stat(
    request: Request, session: Session, csrf: str, dataset: dict[str, Any], chosen: str
) -> Response:
    """An SSB file's preview, carrying its observations on as CSV text; or why it cannot be imported."""
    try:
        mapping = choose_mapping(dataset, shipped_mappings(), chosen)
    except MappingChoiceError as error:
        message = page_locale(request).gettext(CHOICE_PROBLEMS[error.problem]) % {
            "table": error.table,
            "mapping_table": error.mapping_table,
        }
        return _page(request, csrf, 422, mapping_problem=message, chosen=chosen)
    rows, problems = _read_json_stat(session, dataset, mapping)
    if rows is None:
        return _page(request, csrf, 422, problems=problems, cells=True, chosen=chosen)
    if not rows.observations:
        nothing = page_locale(request).gettext(NO_VALUES) % {"table": mapping.mapping.table}
        return _page(request, csrf, 422, problems=[RowProblem(None, "", nothing)], cells=True, chosen=chosen)
    text = write_observations(rows.observations)
    ssb = {"mapping": mapping, "missing": rows.missing_values, "skipped": sorted(rows.skipped_regions)}
    preview = _preview(session, rows.observations)
    return _page(request, csrf, preview=preview, ssb=ssb, content=text, digest=_digest(csrf, text))


@router.post(IMPORT + "/confirm", response_class=HTMLResponse)
def confirm(request: Request, session: SessionDep, upload: SignedInUploadDep) -> Response:
    """Import the previewed file, all or nothing, and link the municipalities whose standings changed."""
    principal = upload.person.principal
    if principal.role not in STAFF_AND_ADMIN:
        return _refused(request)
    page, csrf = page_locale(request), upload.person.csrf_token
    text = _lines(upload.fields.get("content", ""))
    if not hmac.compare_digest(upload.fields.get("digest", ""), _digest(csrf, text)):
        return _page(request, csrf, 409, problems=[RowProblem(None, "", page.gettext(NOT_THE_PREVIEWED))])
    observations, problems = _read(text, session)
    if problems:  # the database changed since the preview (a municipality removed)
        return _page(request, csrf, 422, problems=problems)
    numbers = {row.municipality_number for row in observations}
    before = _standings(session, numbers)
    result = import_observations(
        session=session, observations=observations, caller=principal, location=CSV_LINES
    )
    after = _standings(session, numbers)
    changed = [
        (number, _name(session, number)) for number in sorted(numbers) if before[number] != after[number]
    ]
    return _page(request, csrf, imported={"result": result, "municipalities": changed})
