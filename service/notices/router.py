"""HTTP layer for procurement notices: import (staff), list and read (anyone)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.auth import StaffDep
from service.deps import IndexesDep, SessionDep
from service.errors import FieldError, FieldErrors
from service.notices import service
from service.notices.importer import import_documents
from service.notices.schemas import ImportReportRead, NoticeFilters, NoticeRead
from service.openapi_errors import ErrorMessage
from service.pagination import Page, PageDep
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])

MAX_NOTICE_BYTES = 5 * 1024 * 1024  # one eForms notice; the largest examples are a few hundred KiB
MAX_NOTICE_FILES = 100


async def _uploaded_files(request: Request) -> list[tuple[str, bytes]]:
    """The `files` of a multipart body as (name, content); 413 for a file over MAX_NOTICE_BYTES."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "Send the notices as multipart/form-data `files`."
        )
    documents: list[tuple[str, bytes]] = []
    try:
        form = await request.form(max_files=MAX_NOTICE_FILES, max_fields=10)
    except StarletteHTTPException as error:  # a multipart body Starlette cannot take (too many files, fields)
        raise FieldErrors([FieldError(("files",), str(error.detail))]) from error
    try:
        for upload in form.getlist("files"):
            if not isinstance(upload, UploadFile):
                raise FieldErrors([FieldError(("files",), "must be files, not text fields")])
            content = await upload.read(MAX_NOTICE_BYTES + 1)
            if len(content) > MAX_NOTICE_BYTES:
                raise HTTPException(
                    status.HTTP_413_CONTENT_TOO_LARGE,
                    f"{upload.filename}: a notice may be at most {MAX_NOTICE_BYTES // 2**20} MiB.",
                )
            documents.append((upload.filename or f"file {len(documents) + 1}", content))
    finally:
        await form.close()
    if not documents:
        raise FieldErrors([FieldError(("files",), "send one or more eForms XML files")])
    return documents


@router.post(
    "/import",
    response_model=ImportReportRead,
    responses={
        415: {"model": ErrorMessage, "description": "The body is not multipart/form-data."},
        422: {
            "description": "Every file was refused (the report), or no files were sent (which field).",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/ImportReportRead"},
                            {"$ref": "#/components/schemas/HTTPValidationError"},
                        ]
                    }
                }
            },
        },
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "maxItems": MAX_NOTICE_FILES,
                            }
                        },
                        "required": ["files"],
                    }
                }
            },
            "required": True,
        }
    },
)
async def import_notices(
    request: Request, session: SessionDep, indexes: IndexesDep, staff: StaffDep
) -> ImportReportRead | JSONResponse:
    """Import eForms notices (multipart `files`): each stored with the need that carries it into matching;
    one outcome per file. 422 when every file was refused; the good files of a mixed upload are kept."""
    documents = await _uploaded_files(request)
    # Encoding is slow and synchronous: off the event loop, as FastAPI runs a plain function.
    report = await run_in_threadpool(
        import_documents, session=session, indexes=indexes, caller=staff, documents=documents, source="upload"
    )
    answer = service.report_read(report)
    if report.all_refused:
        return JSONResponse(answer.model_dump(mode="json"), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return answer


@router.get("", response_model=Page[NoticeRead])
def list_notices(
    session: SessionDep, page: PageDep, filters: Annotated[NoticeFilters, Query()]
) -> Page[NoticeRead]:
    """Procurement notices, newest publication first, filtered by kind, buyer, municipality, county, CPV
    subtree, open ones only, and publication date."""
    items, total = service.list_notices(
        session=session, filters=filters, offset=page.offset, limit=page.limit
    )
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/{notice_id}", response_model=NoticeRead)
def get_notice(session: SessionDep, notice_id: RecordId) -> NoticeRead:
    """One procurement notice by its id here (`id`, not the eForms notice id)."""
    return service.read(session=session, notice_row_id=notice_id)
