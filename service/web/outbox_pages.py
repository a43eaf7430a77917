"""The administrator's view of the outbox: the alert e-mails written to DATA_DIR/outbox/ because no SMTP
server is configured (INNOMATCH_SMTP_URL; service/alerts/mail.py), newest first, and each one's
headers and plain text, as its recipient would read it. With SMTP configured, it shows what is still
there from before."""

from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.alerts.mail import OUTBOX, outbox_message, outbox_messages
from service.deps import SessionDep, SettingsDep
from service.pagination import PageSpan
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.i18n import N_, page_locale
from service.web.staff_access import ADMIN_ONLY, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
OUTBOX_PAGE = "/admin/outbox"
PAGE_SIZE = 50
HEADERS = ("From", "To", "Subject", "Date", "List-Unsubscribe")
NO_SUCH_MAIL = N_("There is no e-mail with this name in the outbox.")


@router.get(OUTBOX_PAGE, response_class=HTMLResponse)
def outbox(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """The e-mails in the outbox, newest first, PAGE_SIZE a page."""
    person = person_allowed(request, session, ADMIN_ONLY, path=OUTBOX_PAGE)
    if isinstance(person, Response):
        return person
    written = outbox_messages(settings)
    span = PageSpan(offset=offset, limit=PAGE_SIZE, total=len(written))
    context = {
        "messages": written[offset : offset + PAGE_SIZE],
        "span": span,
        "smtp_configured": bool(settings.smtp_url),
        "folder": settings.data_dir / OUTBOX,
        "newer": None if span.previous_offset is None else _address(span.previous_offset),
        "older": None if span.next_offset is None else _address(span.next_offset),
    }
    return no_store(templates.TemplateResponse(request, "outbox.html", context))


def _address(offset: int) -> str:
    return f"{OUTBOX_PAGE}?offset={offset}" if offset else OUTBOX_PAGE


def _written_at(message: EmailMessage) -> datetime | None:
    try:
        return parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        return None


@router.get(OUTBOX_PAGE + "/{name}", response_class=HTMLResponse)
def outbox_mail(request: Request, session: SessionDep, settings: SettingsDep, name: str) -> Response:
    """One e-mail of the outbox: its headers and its plain text; 404 for a name not in the outbox."""
    person = person_allowed(request, session, ADMIN_ONLY, path=OUTBOX_PAGE)
    if isinstance(person, Response):
        return person
    message = outbox_message(settings, name)
    if message is None:
        return no_store(error_page(request, 404, detail=page_locale(request).gettext(NO_SUCH_MAIL)))
    plain = message.get_body(preferencelist=("plain",))
    context = {
        "name": name,
        "headers": [(header, str(message[header])) for header in HEADERS if message[header] is not None],
        "written_at": _written_at(message),
        "text": plain.get_content() if isinstance(plain, EmailMessage) else None,
    }
    return no_store(templates.TemplateResponse(request, "outbox_message.html", context))
