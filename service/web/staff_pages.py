"""Who may open the programme staff's pages (buyer groups, partnerships): signed-in staff and
administrators, as the API's StaffDep; an anonymous reader is sent to sign in and comes back, anyone
else gets a 403 page that says who may."""

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from service.access import Principal
from service.auth import SignedIn, signed_in
from service.web.errors import error_page
from service.web.i18n import N_, page_locale

STAFF_ROLES = ("admin", "staff")  # the API's StaffDep
NOT_STAFF = N_("Only programme staff and administrators see this page.")


def is_staff(principal: Principal) -> bool:
    return principal.role in STAFF_ROLES


def refused(request: Request) -> Response:
    return error_page(request, 403, detail=page_locale(request).gettext(NOT_STAFF))


def staff_member(request: Request, session: Session) -> SignedIn | Response:
    """The signed-in staff member or administrator; else the answer for anyone else."""
    person = signed_in(request, session)
    if person is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
    if not is_staff(person.principal):
        return refused(request)
    return person
