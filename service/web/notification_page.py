"""The notifications page («Varsler»): what a signed-in person's saved searches have found, newest
first, whether or not it was also pushed, and what was sent by e-mail or webhook, when, and what failed
(service/alerts/notifications.py). The searches themselves are changed under «Mine varsler» (/alerts).

Its two lists page apart: each has its own offset in the address, kept when the other one moves."""

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.alerts import notifications
from service.alerts.channels import RECORD_PATHS
from service.alerts.mail import BAND_WORDS
from service.auth import signed_in
from service.deps import SessionDep
from service.pagination import PageSpan
from service.web.browser_cookies import no_store
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
NOTIFICATIONS = "/alerts/notifications"
PAGE_SIZE = 20
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _address(found_offset: int, sent_offset: int, section: str = "") -> str:
    """This page with these offsets (left out when 0), at a section (#found, #sent)."""
    kept = {
        name: value for name, value in (("found_offset", found_offset), ("sent_offset", sent_offset)) if value
    }
    return NOTIFICATIONS + (f"?{urlencode(kept)}" if kept else "") + section


def _pages(span: PageSpan, address: Callable[[int], str]) -> dict[str, str | None]:
    """The addresses of one list's first, newer and older pages."""
    return {
        "first": address(0),
        "newer": None if span.previous_offset is None else address(span.previous_offset),
        "older": None if span.next_offset is None else address(span.next_offset),
    }


@router.get(NOTIFICATIONS, response_class=HTMLResponse)
def notifications_page(
    request: Request, session: SessionDep, found_offset: Offset = 0, sent_offset: Offset = 0
) -> Response:
    """A signed-in person's latest matches and sendings, a page of each at a time."""
    person = signed_in(request, session)
    if person is None:
        return RedirectResponse(f"/login?next={NOTIFICATIONS}", status_code=303)
    caller = person.principal
    found, found_total = notifications.found(
        session=session, caller=caller, offset=found_offset, limit=PAGE_SIZE
    )
    sent, sent_total = notifications.sent(session=session, caller=caller, offset=sent_offset, limit=PAGE_SIZE)
    found_span = PageSpan(offset=found_offset, limit=PAGE_SIZE, total=found_total)
    sent_span = PageSpan(offset=sent_offset, limit=PAGE_SIZE, total=sent_total)
    context = {
        "found": found,
        "sent": sent,
        "found_span": found_span,
        "sent_span": sent_span,
        "found_pages": _pages(found_span, lambda offset: _address(offset, sent_offset, "#found")),
        "sent_pages": _pages(sent_span, lambda offset: _address(found_offset, offset, "#sent")),
        "record_paths": RECORD_PATHS,
        "band_words": BAND_WORDS,
    }
    return no_store(templates.TemplateResponse(request, "notifications.html", context))
