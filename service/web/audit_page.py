"""The equal-treatment audit trail for programme staff and administrators: who saw or did what, when,
searchable by supplier, need, actor and dates, a page at a time, and exported as CSV or XLSX.

The search is the API's (GET /api/v1/audit: service/audit), so the page, its export and the API's
export select the same events.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from service.audit import service
from service.audit.repository import AuditQuery
from service.audit.schemas import AUDIT_EXPORT_HEADER
from service.deps import SessionDep
from service.exports import export_response
from service.models import AuditEvent
from service.needs.repository import needs_by_id
from service.solutions.repository import solutions_by_id
from service.suppliers.repository import list_suppliers
from service.text_fields import RecordId
from service.web.audit_details import detail_lines
from service.web.browser_cookies import no_store
from service.web.i18n import page_locale
from service.web.messages import field_problem
from service.web.staff_access import STAFF_AND_ADMIN, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
AUDIT = "/audit"
PAGE_SIZE = 50
MAX_SUPPLIER_CHOICES = 1000
NORWAY = ZoneInfo("Europe/Oslo")  # the days a reader means by "from" and "until"


class AuditSearch(BaseModel):
    """The search form: every field may be left empty; the dates are whole days in Norway's time."""

    supplier: RecordId | None = None
    need: RecordId | None = None
    actor: str = Field(default="", max_length=100)
    since: date | None = None  # from this day
    until: date | None = None  # to this day, inclusive

    def query(self) -> AuditQuery:
        def start_of(day: date) -> datetime:
            return datetime.combine(day, time(), tzinfo=NORWAY).astimezone(UTC)

        return AuditQuery(
            actor_contains=self.actor.strip() or None,
            need_id=self.need,
            supplier_id=self.supplier,
            since=start_of(self.since) if self.since else None,
            until=start_of(self.until + timedelta(days=1)) if self.until else None,
        )

    def address(self, path: str = AUDIT, **changes: Any) -> str:
        """This search's address (on `path`), with `changes` (a page's offset, an export's format)."""
        values = {**self.model_dump(), **changes}
        kept = {name: str(value) for name, value in values.items() if value not in (None, "")}
        return f"{path}?{urlencode(kept)}" if kept else path


def _search(request: Request) -> tuple[AuditSearch, dict[str, str]]:
    """The search the address asks for; a wrong field is left out and its problem told."""
    sent = {name: request.query_params.get(name, "").strip() for name in AuditSearch.model_fields}
    try:
        return AuditSearch.model_validate({k: v for k, v in sent.items() if v}), {}
    except ValidationError as error:
        page, problems = page_locale(request), dict[str, str]()
        for item in error.errors(include_url=False):
            name = str(item["loc"][0])
            problems.setdefault(name, field_problem({**item, "loc": (name,)}, page))
        kept = {k: v for k, v in sent.items() if v and k not in problems}
        return AuditSearch.model_validate(kept), problems


def _titles(session: Any, events: list[AuditEvent]) -> dict[str, dict[int, str]]:
    """The titles of the needs and solutions whose matches the events' views showed, to say them by name
    (a record deleted since is said by its number)."""
    wanted: dict[str, list[int]] = {"need_matches": [], "solution_matches": []}
    for event in events:
        if event.subject_kind in wanted and event.subject_id.isdigit():
            wanted[event.subject_kind].append(int(event.subject_id))
    needs = needs_by_id(session, wanted["need_matches"])
    solutions = solutions_by_id(session, wanted["solution_matches"])
    return {
        "need_matches": {number: need.title for number, need in needs.items()},
        "solution_matches": {number: solution.title for number, solution in solutions.items()},
    }


def _suppliers(session: Any) -> list[tuple[int, str]]:
    found, _total = list_suppliers(session, offset=0, limit=MAX_SUPPLIER_CHOICES)
    return sorted(((supplier.id, supplier.name) for supplier in found), key=lambda pair: pair[1].lower())


@router.get(AUDIT, response_class=HTMLResponse)
def audit_trail(
    request: Request, session: SessionDep, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0
) -> Response:
    """The audit trail, oldest first, PAGE_SIZE events a page."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=AUDIT)
    if isinstance(person, Response):
        return person
    search, problems = _search(request)
    query = search.query()
    if query.since and query.until and query.since >= query.until:
        problems["until"] = page_locale(request).gettext("The last day must not be before the first.")
        query = AuditQuery(**{**query.__dict__, "until": None})
    events, total = service.query_events(session, query, offset=offset, limit=PAGE_SIZE)
    context = {
        "search": search,
        "problems": problems,
        "events": events,
        "titles": _titles(session, events),
        "details": {event.id: detail_lines(event.detail, page_locale(request)) for event in events},
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "suppliers": _suppliers(session),
        "previous": search.address(offset=max(offset - PAGE_SIZE, 0) or None) if offset else None,
        "next": search.address(offset=offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
        "export": {kind: search.address(AUDIT + "/export", format=kind) for kind in ("csv", "xlsx")},
    }
    status = 422 if problems else 200
    return no_store(templates.TemplateResponse(request, "audit.html", context, status_code=status))


@router.get(AUDIT + "/export")
def audit_export(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "csv") -> Response:
    """Every event of the search as a file: the API's export (GET /api/v1/audit?format=csv|xlsx)."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=AUDIT)
    if isinstance(person, Response):
        return person
    search, _problems = _search(request)
    return export_response(
        AUDIT_EXPORT_HEADER,
        service.export_rows(session, search.query()),
        export_format=format,
        filename_stem="audit",
        sheet_title="Audit trail",
    )
