"""HTTP layer for partnerships, their outcomes, their export, and the outcomes shown on a solution."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from service.auth import CallerDep, StaffDep
from service.deps import IndexesDep, SessionDep
from service.errors import checks_references
from service.exports import XLSX_MEDIA_TYPE, ExportFormat, export_response
from service.models import Partnership
from service.openapi_errors import error_responses
from service.pagination import Page, PageDep
from service.partnerships import outcomes, repository, service
from service.partnerships.lifecycle import NEXT_STATUSES, PartnershipStatus
from service.partnerships.schemas import (
    CandidateAssessmentRead,
    OutcomeCorrection,
    OutcomeCreate,
    OutcomeRead,
    PartnershipCreate,
    PartnershipRead,
    PartnershipUpdate,
    SolutionOutcomeRead,
)
from service.references import checks_of_record
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/partnerships", tags=["partnerships"])


def _read(partnership: Partnership) -> PartnershipRead:
    return PartnershipRead(
        id=partnership.id,
        title=partnership.title,
        status=partnership.status,
        next_statuses=list(NEXT_STATUSES[partnership.status]),
        need_ids=partnership.need_ids,
        solution_ids=partnership.solution_ids,
        buyer_group_key=partnership.buyer_group_key,
        lead_municipality_number=partnership.lead_municipality_number,
        lead_municipality_name=partnership.lead_municipality_name,
        lead_rule=partnership.lead_rule,
        lead_reason=partnership.lead_reason,
        route=partnership.route,
        route_rule=partnership.route_rule,
        route_reasons=partnership.route_reasons,
        candidates=[
            CandidateAssessmentRead.model_validate(item) for item in partnership.candidate_assessment
        ],
        outcomes=[OutcomeRead.model_validate(item) for item in partnership.outcomes],
        created_by=partnership.created_by,
        created_at=partnership.created_at,
        updated_at=partnership.updated_at,
        status_changed_at=partnership.status_changed_at,
    )


@router.post("", response_model=PartnershipRead, status_code=status.HTTP_201_CREATED)
@checks_references(checks_of_record(PartnershipCreate, service.check_references))
def propose_partnership(
    session: SessionDep, indexes: IndexesDep, staff: StaffDep, partnership_in: PartnershipCreate
) -> PartnershipRead:
    """Propose a pilot partnership: needs + candidate solutions; the route and (unless given) the lead are recommended with reasons."""
    return _read(
        service.create(session=session, indexes=indexes, partnership_in=partnership_in, actor=staff.actor)
    )


@router.get("", response_model=Page[PartnershipRead])
def list_partnerships(
    session: SessionDep, _staff: StaffDep, page: PageDep, status: PartnershipStatus | None = None
) -> Page[PartnershipRead]:
    """Partnerships, oldest first, filtered by status."""
    items, total = repository.list_partnerships(session, offset=page.offset, limit=page.limit, status=status)
    return Page(items=[_read(item) for item in items], total=total, offset=page.offset, limit=page.limit)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
def export_partnerships(
    session: SessionDep,
    _staff: StaffDep,
    format: Annotated[ExportFormat, Query(description="csv (UTF-8 with BOM) or xlsx.")] = "csv",
    status: PartnershipStatus | None = None,
) -> Response:
    """Every partnership (of a status) as a CSV or XLSX file for staff reports."""
    return export_response(
        service.EXPORT_HEADER,
        service.export_rows(session=session, status=status),
        export_format=format,
        filename_stem="partnerships",
        sheet_title="Partnerships",
    )


@router.get("/{partnership_id}", response_model=PartnershipRead)
def get_partnership(session: SessionDep, _staff: StaffDep, partnership_id: RecordId) -> PartnershipRead:
    """One partnership with its route, lead, candidates and outcomes, and the reasons behind them."""
    return _read(service.get(session=session, partnership_id=partnership_id))


@router.patch("/{partnership_id}", response_model=PartnershipRead, responses=error_responses(409))
@checks_references(checks_of_record(PartnershipUpdate, service.check_update_references))
def update_partnership(
    session: SessionDep, staff: StaffDep, partnership_id: RecordId, partnership_in: PartnershipUpdate
) -> PartnershipRead:
    """Move the status one step (or to stopped) and/or change the lead; an impossible move answers 409."""
    return _read(
        service.update(
            session=session, partnership_id=partnership_id, partnership_in=partnership_in, actor=staff.actor
        )
    )


@router.post(
    "/{partnership_id}/outcomes",
    response_model=OutcomeRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409),
)
@checks_references(outcomes.unchecked_outcome_errors)
def record_outcome(
    session: SessionDep, staff: StaffDep, partnership_id: RecordId, outcome_in: OutcomeCreate
) -> OutcomeRead:
    """Record a KPI value measured after the pilot; it becomes the municipality's KPI observation. A
    second value for the same municipality, KPI, data point and year answers 409 naming the first."""
    return OutcomeRead.model_validate(
        outcomes.record_outcome(
            session=session, partnership_id=partnership_id, outcome_in=outcome_in, actor=staff.actor
        )
    )


@router.patch("/{partnership_id}/outcomes/{outcome_id}", response_model=OutcomeRead)
@checks_references(outcomes.unchecked_correction_errors)
def correct_outcome(
    session: SessionDep,
    staff: StaffDep,
    partnership_id: RecordId,
    outcome_id: RecordId,
    correction: OutcomeCorrection,
) -> OutcomeRead:
    """Correct a recorded outcome's value or unit (a typo); its KPI observation follows, the audit trail keeps both."""
    return OutcomeRead.model_validate(
        outcomes.correct_outcome(
            session=session,
            partnership_id=partnership_id,
            outcome_id=outcome_id,
            correction=correction,
            actor=staff.actor,
        )
    )


solution_outcomes_router = APIRouter(prefix="/api/v1/solutions", tags=["partnerships"])


@solution_outcomes_router.get("/{solution_id}/outcomes", response_model=list[SolutionOutcomeRead])
def solution_outcomes(
    session: SessionDep, caller: CallerDep, solution_id: RecordId
) -> list[SolutionOutcomeRead]:
    """Pilot outcomes measured with this solution: KPI before and after, where, in which partnership."""
    return outcomes.outcomes_of_solution(session=session, solution_id=solution_id, caller=caller)
