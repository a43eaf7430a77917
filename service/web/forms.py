"""Forms sent by the pages: read (URL-encoded and small, or multipart with one uploaded file of a
bounded size), and checked for their CSRF token before the handler runs, so that a refused form
stores nothing.

A form sent while signed in carries the token of the session (service/accounts/browser_secrets.py);
the sign-in and invitation forms, sent before there is a session, the token of the pre-session cookie.
"""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request, status
from starlette.datastructures import UploadFile

from service.accounts.browser_secrets import CSRF_FIELD, PRE_SESSION_COOKIE, csrf_matches, same_token
from service.auth import SignedIn, remember, signed_in
from service.deps import SessionDep

MAX_FORM_BYTES = 64 * 1024  # a page's form holds a few short fields
MAX_FORM_FIELDS = 170  # one field per choice: KPIs (a solution up to 50), counties, CPV divisions
FORM_TYPE = "application/x-www-form-urlencoded"
UPLOAD_TYPE = "multipart/form-data"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a file a person uploads from a page (a KPI table of ~40 000 rows)
NOT_FROM_THIS_SITE = (
    "This form was not sent from a page of this site, or its page is too old, so nothing was saved."
    " Go back, reload the page and send the form again."
)
SESSION_ENDED = "You are no longer signed in, so nothing was saved. Sign in and send the form again."


async def form_fields(request: Request) -> dict[str, str]:
    """The fields of a page's form; a field sent twice keeps its last value."""
    body = await request.body()
    if not body:
        return {}  # a form of buttons only (sign-out) that lost its token sends nothing
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "A page's form is sent URL-encoded.")
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "The form sent more than this page takes.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError) as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The form could not be read.") from error
    return dict(pairs)


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def pre_session_form(request: Request, fields: FormFields) -> dict[str, str]:
    """A form sent before sign-in (sign-in, invitation), with the token of the pre-session cookie."""
    if not csrf_matches(fields.get(CSRF_FIELD), request.cookies.get(PRE_SESSION_COOKIE)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_FROM_THIS_SITE)
    return fields


@dataclass(frozen=True)
class SignedInForm:
    person: SignedIn
    fields: dict[str, str]


def check_session_token(person: SignedIn, fields: dict[str, str]) -> None:
    if not same_token(fields.get(CSRF_FIELD), person.csrf_token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_FROM_THIS_SITE)


def signed_in_form(request: Request, session: SessionDep, fields: FormFields) -> SignedInForm:
    """A form sent by a signed-in person with their session's token; they are then the caller whose
    write the audit records."""
    return signed_in_form_of(request, session, fields)


def signed_in_form_of(request: Request, session: SessionDep, fields: dict[str, str]) -> SignedInForm:
    person = signed_in(request, session)
    if person is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, SESSION_ENDED)
    check_session_token(person, fields)
    remember(request, person.principal)
    return SignedInForm(person, fields)


PreSessionForm = Annotated[dict[str, str], Depends(pre_session_form)]
SignedInFormDep = Annotated[SignedInForm, Depends(signed_in_form)]


async def form_lists(request: Request, _fields: FormFields) -> dict[str, list[str]]:
    """Every value of each field of the form `form_fields` has read and checked: a multiple choice
    (a need's KPIs) sends its field once per value chosen."""
    body = (await request.body()).decode("utf-8")
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(body, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS):
        values.setdefault(name, []).append(value)
    return values


FormLists = Annotated[dict[str, list[str]], Depends(form_lists)]


@dataclass(frozen=True)
class UploadParts:
    fields: dict[str, str]
    file: bytes | None  # the content of the form's one file field; None when no file was chosen


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def upload_parts(request: Request) -> UploadParts:
    """The fields and the one file of a multipart form, refused (413) beyond MAX_UPLOAD_BYTES."""
    if _media_type(request) != UPLOAD_TYPE:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "This form is sent as multipart/form-data."
        )
    too_large = HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "The file is larger than this page takes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 2 * MAX_UPLOAD_BYTES + MAX_FORM_BYTES:
        raise too_large  # a file and its copy in the confirmation's field, at most
    async with request.form(
        max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_UPLOAD_BYTES + 1
    ) as form:
        fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
        uploads = [value for _name, value in form.multi_items() if isinstance(value, UploadFile)]
        content = await uploads[0].read(MAX_UPLOAD_BYTES + 1) if uploads and uploads[0].filename else None
    if content is not None and len(content) > MAX_UPLOAD_BYTES:
        raise too_large
    if any(len(value) > MAX_UPLOAD_BYTES for value in fields.values()):
        raise too_large
    return UploadParts(fields, content)


@dataclass(frozen=True)
class SignedInUpload:
    person: SignedIn
    fields: dict[str, str]
    file: bytes | None


def signed_in_upload(
    request: Request, session: SessionDep, parts: Annotated[UploadParts, Depends(upload_parts)]
) -> SignedInUpload:
    """A multipart form of a signed-in person, with their session's token (checked before the handler
    keeps anything of the file)."""
    form = signed_in_form_of(request, session, parts.fields)
    return SignedInUpload(form.person, parts.fields, parts.file)


SignedInUploadDep = Annotated[SignedInUpload, Depends(signed_in_upload)]
