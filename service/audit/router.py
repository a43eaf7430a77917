"""HTTP layer for the audit trail: read and export only; there is no way to change or delete an event."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from service.audit import service
from service.audit.repository import AuditQuery
from service.audit.schemas import AUDIT_EXPORT_HEADER, AuditEventRead
from service.auth import StaffDep
from service.deps import SessionDep
from service.exports import XLSX_MEDIA_TYPE, export_response
from service.moments import Moment, checked_period
from service.pagination import Page, PageDep
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

AuditFormat = Annotated[
    Literal["json", "csv", "xlsx"],
    Query(description="json (one page), or csv / xlsx (every selected event, as a file)."),
]


@router.get(
    "",
    response_model=Page[AuditEventRead],
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
def list_audit_events(
    session: SessionDep,
    _staff: StaffDep,
    page: PageDep,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    subject_kind: Annotated[str | None, Query(max_length=30)] = None,
    subject_id: Annotated[str | None, Query(max_length=200)] = None,
    need_id: Annotated[RecordId | None, Query(description="Events about this need or naming it.")] = None,
    supplier_id: Annotated[
        RecordId | None, Query(description="Events about this supplier, its solutions' demand, or naming it.")
    ] = None,
    since: Moment = None,
    until: Moment = None,
    format: AuditFormat = "json",
) -> Page[AuditEventRead] | Response:
    """Audit events, oldest first, filtered by actor, subject and time; `format=csv|xlsx` exports them all (needs a token)."""
    since, until = checked_period(since, until)
    query = AuditQuery(
        actor=actor,
        subject_kind=subject_kind,
        subject_id=subject_id,
        since=since,
        until=until,
        need_id=need_id,
        supplier_id=supplier_id,
    )
    if format != "json":
        return export_response(
            AUDIT_EXPORT_HEADER,
            service.export_rows(session, query),
            export_format=format,
            filename_stem="audit",
            sheet_title="Audit trail",
        )
    items, total = service.query_events(session, query, offset=page.offset, limit=page.limit)
    return Page(
        items=[AuditEventRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )
