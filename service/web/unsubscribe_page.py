"""The unsubscribe link of an alert e-mail (service/alerts/unsubscribe.py): it pauses that one search
without signing in.

GET shows what the link will do and a button; POST pauses. A mail client's one-click unsubscribe
(RFC 8058) POSTs "List-Unsubscribe=One-Click" to the same address, with no cookie and no page before
it, so the POST carries no CSRF token and none is asked for: the secret token in the address is the
authentication (only the service can sign one, for one search), and all it can do is pause that search,
which is idempotent and which its owner undoes when signed in. A site that tricked a browser into
posting it would have to know the token already. The body is not read: clients send it URL-encoded or
as multipart, and nothing in it matters.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from service.alerts import unsubscribe
from service.deps import SessionDep, SettingsDep
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.i18n import N_, page_locale
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
UnsubscribeToken = Annotated[str, Path(max_length=100)]
NOT_A_LINK = N_("This unsubscribe link is not valid, or its saved search has been deleted.")


def _page(request: Request, template: str, context: dict[str, Any]) -> Response:
    # The address holds a secret: not cached, and not kept in the history as a page to return to.
    return no_store(templates.TemplateResponse(request, template, context))


def _not_found(request: Request) -> Response:
    return no_store(error_page(request, 404, detail=page_locale(request).gettext(NOT_A_LINK)))


@router.get("/alerts/unsubscribe/{token}")
def unsubscribe_page(
    request: Request, session: SessionDep, settings: SettingsDep, token: UnsubscribeToken
) -> Response:
    search = unsubscribe.find(session, unsubscribe.resolve_secret_key(settings), token)
    if search is None:
        return _not_found(request)
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return _page(request, "unsubscribe.html", {"search": search, "action": action})


@router.post("/alerts/unsubscribe/{token}")
def unsubscribe_now(
    request: Request, session: SessionDep, settings: SettingsDep, token: UnsubscribeToken
) -> Response:
    search = unsubscribe.unsubscribe(session, unsubscribe.resolve_secret_key(settings), token)
    if search is None:
        return _not_found(request)
    return _page(request, "unsubscribed.html", {"search": search})
