"""The pages of procurement notices: the list with the API's filters, one notice with every field, and
for programme staff and administrators an upload form that imports eForms files with the API's importer
and says what became of each file."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRouter
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from service.auth import SignedIn, identify, signed_in
from service.deps import IndexesDep, SessionDep
from service.municipalities.repository import get_municipality
from service.notices import service as notices
from service.notices.files import MAX_NOTICE_BYTES, MAX_NOTICE_FILES
from service.notices.importer import DocumentOutcome, import_documents
from service.notices.places import county_for_nuts
from service.notices.schemas import NoticeFilters, NoticeRead
from service.pagination import DEFAULT_PAGE_SIZE, PageDep, PageSpan
from service.text_fields import RecordId
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.forms import MAX_FORM_FIELDS, UPLOAD_TYPE, signed_in_form_of
from service.web.i18n import N_, page_locale
from service.web.need_list import filter_choices
from service.web.staff_access import NOT_STAFF, STAFF_AND_ADMIN
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
NOTICES = "/notices"
NO_FILES = N_("Choose one or more eForms XML files to import.")
TOO_LARGE = N_("%(name)s is larger than %(size)s MiB, the most a notice may be. Nothing was imported.")
# The reader's language first, then the other one of the service, then the notice's own order.
PREFERRED_LANGUAGES = {"nb": ("no", "nb", "nn", "en"), "en": ("en", "no", "nb", "nn")}


def title_of(notice: NoticeRead, locale: str) -> tuple[str, str]:
    """(language, title) of a notice in the reader's language if it has one, else in its main language."""
    order = [*PREFERRED_LANGUAGES.get(locale, ()), *notice.languages, *notice.titles]
    language = next((code for code in order if notice.titles.get(code)), "")
    return language, notice.titles.get(language, notice.notice_id)


def _filters(request: Request) -> NoticeFilters:
    """The filters of the list's GET form, which sends its unchosen fields empty ("kind=")."""
    given = {
        name: value
        for name, value in request.query_params.items()
        if value != "" and name in NoticeFilters.model_fields
    }
    try:
        return NoticeFilters.model_validate(given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None


def _chosen(filters: NoticeFilters) -> dict[str, str]:
    values = filters.model_dump(exclude_none=True, exclude_defaults=True)
    return {name: "1" if value is True else str(value) for name, value in values.items()}


def _address(chosen: dict[str, str], *, offset: int, limit: int) -> str:
    parameters: dict[str, str | int] = dict(chosen)
    if limit != DEFAULT_PAGE_SIZE:
        parameters["limit"] = limit
    if offset:
        parameters["offset"] = offset
    return f"{NOTICES}?{urlencode(parameters)}" if parameters else NOTICES


def _is_staff(person: SignedIn | None) -> bool:
    return person is not None and person.principal.role in STAFF_AND_ADMIN


def _list_page(
    request: Request,
    session: SessionDep,
    page: PageDep,
    filters: NoticeFilters,
    *,
    status_code: int = 200,
    outcomes: list[DocumentOutcome] | None = None,
    problem: str = "",
) -> Response:
    now = datetime.now(UTC)
    items, total = notices.list_notices(
        session=session, filters=filters, offset=page.offset, limit=page.limit, now=now
    )
    span = PageSpan(offset=page.offset, limit=page.limit, total=total)
    chosen = _chosen(filters)

    def address(offset: int | None) -> str | None:
        return None if offset is None else _address(chosen, offset=offset, limit=page.limit)

    person = signed_in(request, session)
    locale = page_locale(request).locale
    context: dict[str, Any] = {
        "notices": [(notice, *title_of(notice, locale)) for notice in items],
        "span": span,
        "chosen": chosen,
        "choices": filter_choices(session),
        "now": now,
        "limit": page.limit if page.limit != DEFAULT_PAGE_SIZE else None,
        "first_page": address(0),
        "previous_page": address(span.previous_offset),
        "next_page": address(span.next_offset),
        "csrf_token": person.csrf_token if person is not None and _is_staff(person) else None,
        "outcomes": outcomes,
        "problem": problem,
        "max_files": MAX_NOTICE_FILES,
    }
    answer = templates.TemplateResponse(request, "notices.html", context, status_code=status_code)
    return no_store(answer) if context["csrf_token"] else answer


@router.get(NOTICES, response_class=HTMLResponse, dependencies=[Depends(identify)])
def notices_page(
    request: Request, session: SessionDep, page: PageDep, filters: Annotated[NoticeFilters, Depends(_filters)]
) -> Response:
    """Procurement notices, newest publication first, with the API's filters; staff also see the import form."""
    return _list_page(request, session, page, filters)


@dataclass(frozen=True)
class NoticeUpload:
    person: SignedIn
    documents: list[tuple[str, bytes]]
    too_large: str | None  # the name of a file over MAX_NOTICE_BYTES: nothing is imported then


async def notice_upload(request: Request, session: SessionDep) -> NoticeUpload:
    """The files of the import form, with the session's CSRF token checked before anything is imported."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != UPLOAD_TYPE:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "This form is sent as multipart/form-data."
        )
    documents: list[tuple[str, bytes]] = []
    too_large = None
    async with request.form(
        max_files=MAX_NOTICE_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_NOTICE_BYTES + 1
    ) as form:
        fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
        for upload in form.getlist("files"):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue  # a file input with nothing chosen sends an empty part
            content = await upload.read(MAX_NOTICE_BYTES + 1)
            if len(content) > MAX_NOTICE_BYTES:
                too_large = upload.filename
            documents.append((upload.filename, content))
    form_of = signed_in_form_of(request, session, fields)
    return NoticeUpload(form_of.person, documents, too_large)


@router.post(NOTICES + "/import", response_class=HTMLResponse)
def import_notices(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    page: PageDep,
    upload: Annotated[NoticeUpload, Depends(notice_upload)],
) -> Response:
    """Import the uploaded eForms files as the API does; the list page then says what became of each."""
    words = page_locale(request)
    if upload.person.principal.role not in STAFF_AND_ADMIN:
        return error_page(request, 403, detail=words.gettext(NOT_STAFF))
    filters = NoticeFilters()
    if upload.too_large:
        problem = words.gettext(TOO_LARGE) % {"name": upload.too_large, "size": MAX_NOTICE_BYTES // 2**20}
        return _list_page(request, session, page, filters, status_code=413, problem=problem)
    if not upload.documents:
        return _list_page(request, session, page, filters, status_code=422, problem=words.gettext(NO_FILES))
    report = import_documents(
        session=session,
        indexes=indexes,
        caller=upload.person.principal,
        documents=upload.documents,
        source="upload",
    )
    code = 422 if report.all_refused else 200
    return _list_page(request, session, page, filters, status_code=code, outcomes=report.documents)


@router.get(NOTICES + "/{notice_id}", response_class=HTMLResponse, dependencies=[Depends(identify)])
def notice_page(request: Request, session: SessionDep, notice_id: RecordId) -> Response:
    """One notice with every field read from it, and where it came from."""
    notice = notices.read(session=session, notice_row_id=notice_id)
    county_names = {county.number: county.name for county in filter_choices(session).counties}
    municipality = (
        get_municipality(session, notice.municipality_number) if notice.municipality_number else None
    )
    places = [(code, county_names.get(county_for_nuts(code) or "")) for code in notice.nuts]
    now, words = datetime.now(UTC), page_locale(request)
    context = {
        "notice": notice,
        "title": title_of(notice, words.locale),
        "moment_of": lambda text: words.moment(datetime.fromisoformat(text)),  # a lot's time, kept as text
        "municipality": municipality,
        "county_name": county_names.get(notice.county_number or ""),
        "places": places,
        "deadline_passed": notice.tender_deadline is not None and notice.tender_deadline <= now,
    }
    return templates.TemplateResponse(request, "notice.html", context)
