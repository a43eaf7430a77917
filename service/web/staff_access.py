"""Who may open the staff and administrator pages: the signed-in person of an allowed role; an
anonymous reader is sent to sign in first, anyone else gets a 403 page in their language."""

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from service.auth import SignedIn, signed_in
from service.web.errors import error_page
from service.web.i18n import N_, page_locale

ADMIN_ONLY = ("admin",)
STAFF_AND_ADMIN = ("admin", "staff")
NOT_AN_ADMIN = N_("Only administrators see and change the people with accounts and the service's operations.")
NOT_STAFF = N_("Only programme staff and administrators see this page.")


def person_allowed(
    request: Request, session: Session, roles: tuple[str, ...], *, path: str
) -> SignedIn | Response:
    """The signed-in person if their role is one of `roles`; otherwise the answer to send instead."""
    person = signed_in(request, session)
    if person is None:
        return RedirectResponse(f"/login?next={path}", status_code=303)
    if person.principal.role not in roles:
        reason = NOT_AN_ADMIN if roles == ADMIN_ONLY else NOT_STAFF
        return error_page(request, 403, detail=page_locale(request).gettext(reason))
    return person
