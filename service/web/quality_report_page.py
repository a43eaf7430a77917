"""The needs-quality report for staff: per municipality, how many open needs have findings of each rule,
to show where officers need help writing needs. Sorted by what staff ask for (most findings first), and
downloadable as CSV or XLSX like the other reports on /tools. The numbers are
service.needs.quality_report's, which runs the same check as the API's."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import SessionDep
from service.exports import ExportFormat, export_response
from service.needs.quality_report import SORTS, MunicipalityQuality, quality_by_municipality, sorted_rows
from service.needs_quality import RULE_IDS
from service.web.browser_cookies import no_store
from service.web.i18n import N_, PageLocale, page_locale
from service.web.quality_labels import RULE_NAMES
from service.web.staff_access import STAFF_AND_ADMIN, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
REPORT = "/tools/needs-quality"
NO_MUNICIPALITY = N_("No municipality")


def _sort(request: Request) -> str:
    """The chosen order; an unknown one falls back to most findings first."""
    sort = request.query_params.get("sort", "findings")
    return sort if sort in SORTS else "findings"


def _name(row: MunicipalityQuality, page: PageLocale) -> str:
    return row.name or page.gettext(NO_MUNICIPALITY)


def export_rows(rows: list[MunicipalityQuality], page: PageLocale) -> list[tuple[Any, ...]]:
    return [
        (row.number, _name(row, page), row.open_needs, row.with_findings, *(row.by_rule[r] for r in RULE_IDS))
        for row in rows
    ]


@router.get(REPORT, response_class=HTMLResponse)
def quality_report(request: Request, session: SessionDep) -> Response:
    """The table, sorted as asked."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=REPORT)
    if isinstance(person, Response):
        return person
    sort = _sort(request)
    rows = sorted_rows(quality_by_municipality(session), sort)
    context: dict[str, Any] = {
        "rows": rows,
        "sort": sort,
        "rule_ids": RULE_IDS,
        "rule_names": RULE_NAMES,
        "open_needs": sum(row.open_needs for row in rows),
        "with_findings": sum(row.with_findings for row in rows),
    }
    return no_store(templates.TemplateResponse(request, "needs_quality_report.html", context))


@router.get(f"{REPORT}/download")
def quality_report_download(
    request: Request, session: SessionDep, format: Annotated[ExportFormat, Query()] = "csv"
) -> Response:
    """The table as CSV or XLSX, in the page's order."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=REPORT)
    if isinstance(person, Response):
        return person
    page = page_locale(request)
    rows = sorted_rows(quality_by_municipality(session), _sort(request))
    header = [
        page.gettext("Municipality number"),
        page.gettext("Municipality"),
        page.gettext("Open needs"),
        page.gettext("Open needs with findings"),
        *(page.gettext(RULE_NAMES[rule]) for rule in RULE_IDS),
    ]
    return no_store(
        export_response(
            header,
            export_rows(rows, page),
            export_format=format,
            filename_stem="needs-quality",
            sheet_title=page.gettext("Needs quality"),
        )
    )
