"""HTML pages over the same services as the API; every value is escaped by Jinja's autoescape."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.auth import ANONYMOUS, sees_solution
from service.deps import IndexesDep, SessionDep
from service.errors import NotFoundError
from service.matching import service as matching
from service.needs import repository as needs_repository
from service.needs import service as needs_service
from service.solutions import service as solutions_service
from service.text_fields import MAX_TEXT_LENGTH, RecordId

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
PAGE_MATCHES = 10


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    needs, total = needs_repository.list_needs(session, offset=0, limit=200, status="open")
    return templates.TemplateResponse(request, "home.html", {"needs": needs, "total": total})


@router.get("/needs/{need_id}", response_class=HTMLResponse)
def need_page(request: Request, session: SessionDep, indexes: IndexesDep, need_id: RecordId) -> HTMLResponse:
    need = needs_service.get(session=session, need_id=need_id)
    matches = matching.match_need(session=session, indexes=indexes, need_id=need_id, limit=PAGE_MATCHES)
    return templates.TemplateResponse(request, "need.html", {"need": need, "matches": matches})


@router.get("/solutions/{solution_id}", response_class=HTMLResponse)
def solution_page(
    request: Request, session: SessionDep, indexes: IndexesDep, solution_id: RecordId
) -> HTMLResponse:
    solution = solutions_service.get(session=session, solution_id=solution_id)
    if not sees_solution(ANONYMOUS, status=solution.status, supplier_id=solution.supplier_id):
        raise NotFoundError("Solution", solution_id)  # pages are public: drafts are not shown
    matches = matching.match_solution(
        session=session, indexes=indexes, solution_id=solution_id, limit=PAGE_MATCHES
    )
    return templates.TemplateResponse(request, "solution.html", {"solution": solution, "matches": matches})


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    q: Annotated[str, Query(max_length=MAX_TEXT_LENGTH)] = "",
) -> HTMLResponse:
    query = q.strip()
    matches = (
        matching.search_solutions(session=session, indexes=indexes, text=query, limit=PAGE_MATCHES)
        if query
        else []
    )
    return templates.TemplateResponse(request, "search.html", {"query": query, "matches": matches})
