"""The staff and administrators' tools in one place: the reports to download, the KPI import, and
for administrators the people, the operations and the outbox. The header links here instead of to
each tool, so that it stays short on a phone."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import SessionDep
from service.web.browser_cookies import no_store
from service.web.staff_access import STAFF_AND_ADMIN, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
TOOLS = "/tools"


@router.get(TOOLS, response_class=HTMLResponse)
def tools(request: Request, session: SessionDep) -> Response:
    """Reports, imports and administration, each with what it is for."""
    person = person_allowed(request, session, STAFF_AND_ADMIN, path=TOOLS)
    if isinstance(person, Response):
        return person
    context = {"is_admin": person.principal.role == "admin"}
    return no_store(templates.TemplateResponse(request, "tools.html", context))
