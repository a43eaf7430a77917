"""HTTP layer for solutions."""

from fastapi import APIRouter, status

from service.auth import CallerDep, SolutionWriterDep
from service.deps import IndexesDep, SessionDep
from service.errors import checks_references
from service.openapi_errors import error_responses
from service.pagination import Page, PageDep
from service.references import checks_of_items, checks_of_record
from service.solutions import service
from service.solutions.schemas import (
    MAX_BATCH,
    SolutionBatchCreate,
    SolutionBatchUpdate,
    SolutionCreate,
    SolutionRead,
    SolutionStatus,
    SolutionUpdate,
    SolutionWritten,
)
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/solutions", tags=["solutions"])


@router.post("", response_model=SolutionWritten, status_code=status.HTTP_201_CREATED)
@checks_references(checks_of_record(SolutionCreate, service.check_references))
def create_solution(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, solution_in: SolutionCreate
) -> SolutionWritten:
    """Register a solution; searchable as soon as this returns. A supplier's solution is its own. A
    text in a language other than Norwegian or English is stored with its own code and a warning."""
    return service.create(session=session, indexes=indexes, solution_in=solution_in, caller=writer)


@router.post("/batch", response_model=list[SolutionWritten], status_code=status.HTTP_201_CREATED)
@checks_references(checks_of_items(SolutionCreate, service.check_references, "items", MAX_BATCH))
def create_solutions(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, batch: SolutionBatchCreate
) -> list[SolutionWritten]:
    """Register up to 500 solutions in one transaction: all of them, or none when one is wrong (the
    answer names it). Their texts are encoded together. A supplier's solutions are its own."""
    return service.create_many(session=session, indexes=indexes, solutions_in=batch.items, caller=writer)


@router.patch("/batch", response_model=list[SolutionWritten], responses=error_responses(404))
@checks_references(service.batch_change_references)
def update_solutions(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, batch: SolutionBatchUpdate
) -> list[SolutionWritten]:
    """Change up to 500 solutions in one transaction: all of them, or none when one is wrong. As with
    PATCH of one, an unchanged text is not encoded again, so sending a whole catalogue again is cheap."""
    return service.update_many(session=session, indexes=indexes, items=batch.items, caller=writer)


@router.get("", response_model=Page[SolutionRead])
def list_solutions(
    session: SessionDep,
    caller: CallerDep,
    page: PageDep,
    supplier_id: RecordId | None = None,
    status: SolutionStatus | None = None,
) -> Page[SolutionRead]:
    """Solutions, oldest first, filtered by supplier or status; drafts and archived ones only for
    their supplier, staff and admins."""
    items, total = service.list_solutions(
        session=session,
        caller=caller,
        offset=page.offset,
        limit=page.limit,
        supplier_id=supplier_id,
        status=status,
    )
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/{solution_id}", response_model=SolutionRead)
def get_solution(session: SessionDep, caller: CallerDep, solution_id: RecordId) -> SolutionRead:
    """One solution; a draft or archived one only for its supplier, staff and admins."""
    return service.read(session=session, solution_id=solution_id, caller=caller)


@router.patch("/{solution_id}", response_model=SolutionWritten)
@checks_references(checks_of_record(SolutionUpdate, service.check_references))
def update_solution(
    session: SessionDep,
    indexes: IndexesDep,
    writer: SolutionWriterDep,
    solution_id: RecordId,
    solution_in: SolutionUpdate,
) -> SolutionWritten:
    """Change a solution; a changed text is re-encoded, an unchanged one is not."""
    return service.update(
        session=session, indexes=indexes, solution_id=solution_id, solution_in=solution_in, caller=writer
    )


@router.delete("/{solution_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_solution(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, solution_id: RecordId
) -> None:
    """Remove a solution, its vector and its feedback."""
    service.delete(session=session, indexes=indexes, solution_id=solution_id, caller=writer)
