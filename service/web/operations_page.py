"""The administrator's page about the running service: the index status, the last backup, the
version, the requests answered; the facts of /health and /metrics (service/operations/status.py),
said in words and in the reader's numbers and dates."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import SessionDep, SettingsDep
from service.operations.status import service_status
from service.web.browser_cookies import no_store
from service.web.i18n import PageLocale, page_locale
from service.web.staff_access import ADMIN_ONLY, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
OPERATIONS = "/admin/operations"


def age_in_words(moment: datetime, now: datetime, page: PageLocale) -> str:
    """How long ago, roughly, as a person says it: "3 minutes ago", "2 days ago"."""
    seconds = max((now - moment).total_seconds(), 0)
    if seconds < 60:
        return page.gettext("less than a minute ago")
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if hours < 1:
        return page.ngettext("%(num)s minute ago", "%(num)s minutes ago", minutes) % {
            "num": page.number(minutes)
        }
    if days < 1:
        return page.ngettext("%(num)s hour ago", "%(num)s hours ago", hours) % {"num": page.number(hours)}
    return page.ngettext("%(num)s day ago", "%(num)s days ago", days) % {"num": page.number(days)}


@router.get(OPERATIONS, response_class=HTMLResponse)
def operations(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Is the service well: its indexes, backups and requests, at a glance."""
    person = person_allowed(request, session, ADMIN_ONLY, path=OPERATIONS)
    if isinstance(person, Response):
        return person
    app = request.app
    status = service_status(
        session=session,
        indexes=app.state.indexes,
        metrics=app.state.metrics,
        version=app.version,
        database=app.state.engine.dialect.name,
        data_dir=settings.data_dir,
    )
    page, now = page_locale(request), datetime.now(UTC)
    context = {"status": status, "now": now, "age": lambda moment: age_in_words(moment, now, page)}
    return no_store(templates.TemplateResponse(request, "operations.html", context))
