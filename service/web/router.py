"""HTML pages over the same service functions as the API; every value is escaped by Jinja's autoescape."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from pydantic import AfterValidator

from service.access import ANONYMOUS
from service.auth import CallerDep
from service.deps import IndexesDep, SessionDep
from service.matching import service as matching
from service.needs import service as needs
from service.needs.schemas import NeedFilters
from service.notices import service as notices
from service.notices.similar import similar_notices
from service.pagination import DEFAULT_PAGE_SIZE, PageDep, PageSpan
from service.solutions import service as solutions
from service.text_fields import MAX_TEXT_LENGTH, RecordId, require_letters
from service.web.assets import FAVICON, REDOC, SWAGGER_UI, SWAGGER_UI_INIT
from service.web.linked_data import need_json_ld, solution_json_ld
from service.web.match_window import (
    PAGE_MATCHES,
    MatchOffset,
    MatchWindow,
    ranks_wanted,
    shown_ranks,
    window_address,
)
from service.web.need_list import chosen, filter_choices, form_filters, page_address
from service.web.need_pages import match_filters, officer_context
from service.web.save_search import needs_search_address, save_search_address
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
# When the accessibility statement was last checked against the pages and the tests; update it with them.
STATEMENT_UPDATED = date(2026, 12, 7)


def _nothing_or_words(text: str) -> str:
    """An empty search box shows the form; anything else must have words to search for."""
    return require_letters(text) if text.strip() else text


SearchBox = Annotated[str, Query(max_length=MAX_TEXT_LENGTH), AfterValidator(_nothing_or_words)]


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    caller: CallerDep,
    page: PageDep,
    filters: Annotated[NeedFilters, Depends(form_filters)],
) -> HTMLResponse:
    filters = filters.model_copy(update={"status": "open"})
    items, total = needs.list_needs(
        session=session,
        caller=caller,
        offset=page.offset,
        limit=page.limit,
        filters=filters,
        newest_first=True,
    )
    span = PageSpan(offset=page.offset, limit=page.limit, total=total)

    def address(offset: int | None) -> str | None:
        return None if offset is None else page_address(filters, offset=offset, limit=page.limit)

    context = {
        "needs": items,
        "notice_links": notices.notice_links(session=session, need_ids=[need.id for need in items]),
        "now": datetime.now(UTC),
        "span": span,
        "chosen": chosen(filters),
        "choices": filter_choices(session),
        "save_search": needs_search_address(session, caller, chosen(filters)),
        "limit": page.limit if page.limit != DEFAULT_PAGE_SIZE else None,
        "first_page": address(0),
        "previous_page": address(span.previous_offset),
        "next_page": address(span.next_offset),
    }
    return templates.TemplateResponse(request, "home.html", context)


SHOWN_SIMILAR_NOTICES = 5


@router.get("/needs/{need_id}", response_class=HTMLResponse)
def need_page(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    caller: CallerDep,
    need_id: RecordId,
    offset: MatchOffset = 0,
) -> HTMLResponse:
    need = needs.read(session=session, need_id=need_id, caller=caller)
    filters = match_filters(request.query_params)
    matches = matching.match_need(
        session=session,
        indexes=indexes,
        need_id=need_id,
        limit=ranks_wanted(offset),
        caller=caller,
        filters=filters,
        shown=shown_ranks(offset),
    )
    chosen_filters = filters.model_dump(exclude_none=True)
    context = {
        "need": need,
        "json_ld": need_json_ld(request, session, needs.seen_by(need, ANONYMOUS)),  # public, whoever reads
        "contact_hidden": not caller.sees_contact_data,  # the API's rule: personal data, for callers known
        **_window_context(request, matches.items, offset),
        "warnings": matches.warnings,
        "chosen": {name: str(value) for name, value in chosen_filters.items()},
        "choices": filter_choices(session),
        "csv_address": f"/needs/{need_id}/matches.csv"
        + (f"?{urlencode(chosen_filters)}" if chosen_filters else ""),
        "save_search": save_search_address(
            session, caller, "solutions_for_need", need_id=need_id, filters=chosen_filters
        ),
        **officer_context(request, session, need),
        # Notices like this need from any buyer, with who bought what (as GET .../similar-notices).
        "similar_notices": similar_notices(
            session=session, indexes=indexes, need_id=need_id, caller=caller, limit=SHOWN_SIMILAR_NOTICES
        ),
    }
    return templates.TemplateResponse(request, "need.html", context)


@router.get("/solutions/{solution_id}", response_class=HTMLResponse)
def solution_page(
    request: Request, session: SessionDep, indexes: IndexesDep, caller: CallerDep, solution_id: RecordId
) -> HTMLResponse:
    solution = solutions.read(session=session, solution_id=solution_id, caller=caller)
    matches = matching.match_solution(
        session=session, indexes=indexes, solution_id=solution_id, limit=PAGE_MATCHES, caller=caller
    )
    own = caller.role == "supplier" and caller.supplier_id == solution.supplier_id  # its supplier's links
    need_ids = [match.need.id for match in matches.items]
    context = {
        "solution": solution,
        "json_ld": solution_json_ld(request, session, solution),
        "matches": matches.items,
        "notice_links": notices.notice_links(session=session, need_ids=need_ids),
        "now": datetime.now(UTC),
        "warnings": matches.warnings,
        "own": own,
        "save_search": save_search_address(session, caller, "needs_for_solution", solution_id=solution_id),
    }
    return templates.TemplateResponse(request, "solution.html", context)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    caller: CallerDep,
    q: SearchBox = "",
    offset: MatchOffset = 0,
) -> HTMLResponse:
    query = q.strip()
    context: dict[str, object] = {"query": query, "matches": [], "warnings": []}
    if query:
        found = matching.search_solutions(
            session=session,
            indexes=indexes,
            text=query,
            limit=ranks_wanted(offset),
            caller=caller,
            shown=shown_ranks(offset),
        )
        context |= {
            **_window_context(request, found.items, offset),
            "warnings": found.warnings,
            "save_search": save_search_address(session, caller, "solutions_for_text", text=query),
        }
    return templates.TemplateResponse(request, "search.html", context)


def _window_context(request: Request, ranked: Sequence[object], offset: int) -> dict[str, object]:
    """One page of a ranked list, with the addresses of the pages before and after it."""
    window = MatchWindow(offset=offset, found=len(ranked))
    path, params = request.url.path, request.query_params
    return {
        "matches": ranked[window.shown],
        "window": window,
        "first_window": window_address(path, params, 0),
        "previous_window": window_address(path, params, window.previous_offset),
        "next_window": window_address(path, params, window.next_offset),
    }


@router.get("/tilgjengelighet", response_class=HTMLResponse)
def accessibility_statement(request: Request) -> HTMLResponse:
    """Tilgjengelighetserklæring: what is tested, what is known to fall short, and where to report it."""
    contact = request.app.state.settings.accessibility_contact
    context = {
        "updated": STATEMENT_UPDATED,
        "contact": contact,
        "contact_address": contact if contact and contact.startswith("https://") else f"mailto:{contact}",
    }
    return templates.TemplateResponse(request, "accessibility.html", context)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    # FastAPI's get_swagger_ui_html starts Swagger UI with an inline script: this page loads a file instead.
    context = {
        "title": f"{request.app.title} - Swagger UI",
        "openapi_url": request.app.openapi_url,
        "swagger_ui": SWAGGER_UI,
        "swagger_ui_init": SWAGGER_UI_INIT,
    }
    return templates.TemplateResponse(request, "swagger_ui.html", context)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{REDOC}/bundles/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
