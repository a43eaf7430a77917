"""HTTP layer for solutions."""

from typing import NoReturn

from fastapi import APIRouter, status

from service.auth import CallerDep, Principal, SolutionWriterDep, ensure_supplier, sees_solution
from service.deps import IndexesDep, SessionDep
from service.errors import FieldError, FieldErrors, NotFoundError
from service.openapi_errors import error_responses
from service.pagination import Page, PageDep
from service.solutions import repository, service
from service.solutions.schemas import (
    SolutionBatchCreate,
    SolutionBatchUpdate,
    SolutionCreate,
    SolutionRead,
    SolutionStatus,
    SolutionUpdate,
)
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/solutions", tags=["solutions"])


@router.post("", response_model=SolutionRead, status_code=status.HTTP_201_CREATED)
def create_solution(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, solution_in: SolutionCreate
) -> SolutionRead:
    """Register a solution; searchable as soon as this returns. A supplier's solution is its own."""
    solution_in = _own_by_default(writer, solution_in)
    ensure_supplier(writer, solution_in.supplier_id)
    return SolutionRead.model_validate(
        service.create(session=session, indexes=indexes, solution_in=solution_in)
    )


@router.post("/batch", response_model=list[SolutionRead], status_code=status.HTTP_201_CREATED)
def create_solutions(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, batch: SolutionBatchCreate
) -> list[SolutionRead]:
    """Register up to 500 solutions in one transaction: all of them, or none when one is wrong (the
    answer names it). Their texts are encoded together. A supplier's solutions are its own."""
    items = [_own_by_default(writer, item) for item in batch.items]
    for item in items:
        ensure_supplier(writer, item.supplier_id)
    created = service.create_many(session=session, indexes=indexes, solutions_in=items)
    return [SolutionRead.model_validate(solution) for solution in created]


@router.patch("/batch", response_model=list[SolutionRead], responses=error_responses(404))
def update_solutions(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, batch: SolutionBatchUpdate
) -> list[SolutionRead]:
    """Change up to 500 solutions in one transaction: all of them, or none when one is wrong. As with
    PATCH of one, an unchanged text is not encoded again, so sending a whole catalogue again is cheap."""
    ids = [item.id for item in batch.items]
    first_at: dict[int, int] = {}
    repeated = [
        FieldError(("items", position, "id"), f"solution {owner_id} is in the batch more than once")
        for position, owner_id in enumerate(ids)
        if first_at.setdefault(owner_id, position) != position
    ]
    if repeated:
        raise FieldErrors(repeated)
    found = repository.solutions_by_id(session, ids)
    solutions = [found.get(owner_id) or _not_found(owner_id) for owner_id in ids]
    for solution, item in zip(solutions, batch.items, strict=True):
        ensure_supplier(writer, solution.supplier_id)
        if "supplier_id" in item.model_fields_set:
            ensure_supplier(writer, item.supplier_id)
    changes = [SolutionUpdate(**item.model_dump(exclude_unset=True, exclude={"id"})) for item in batch.items]
    service.update_many(session=session, indexes=indexes, solutions=solutions, changes=changes)
    return [SolutionRead.model_validate(solution) for solution in solutions]


def _own_by_default(writer: Principal, solution_in: SolutionCreate) -> SolutionCreate:
    """A supplier's new solution is its own unless it names its supplier."""
    if writer.role == "supplier" and solution_in.supplier_id is None:
        return solution_in.model_copy(update={"supplier_id": writer.supplier_id})
    return solution_in


def _not_found(solution_id: int) -> NoReturn:
    raise NotFoundError("Solution", solution_id)


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
    items, total = repository.list_solutions(
        session,
        offset=page.offset,
        limit=page.limit,
        supplier_id=supplier_id,
        status=status,
        unpublished_of=caller.supplier_id,
        all_unpublished=caller.sees_everything,
    )
    return Page(
        items=[SolutionRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{solution_id}", response_model=SolutionRead)
def get_solution(session: SessionDep, caller: CallerDep, solution_id: RecordId) -> SolutionRead:
    """One solution; a draft or archived one only for its supplier, staff and admins."""
    solution = service.get(session=session, solution_id=solution_id)
    if not sees_solution(caller, status=solution.status, supplier_id=solution.supplier_id):
        # 404, not 403: whether an unpublished solution exists is itself not public.
        raise NotFoundError("Solution", solution_id)
    return SolutionRead.model_validate(solution)


@router.patch("/{solution_id}", response_model=SolutionRead)
def update_solution(
    session: SessionDep,
    indexes: IndexesDep,
    writer: SolutionWriterDep,
    solution_id: RecordId,
    solution_in: SolutionUpdate,
) -> SolutionRead:
    """Change a solution; a changed text is re-encoded, an unchanged one is not."""
    ensure_supplier(writer, service.get(session=session, solution_id=solution_id).supplier_id)
    if "supplier_id" in solution_in.model_fields_set:
        ensure_supplier(writer, solution_in.supplier_id)
    return SolutionRead.model_validate(
        service.update(session=session, indexes=indexes, solution_id=solution_id, solution_in=solution_in)
    )


@router.delete("/{solution_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_solution(
    session: SessionDep, indexes: IndexesDep, writer: SolutionWriterDep, solution_id: RecordId
) -> None:
    """Remove a solution, its vector and its feedback."""
    ensure_supplier(writer, service.get(session=session, solution_id=solution_id).supplier_id)
    service.delete(session=session, indexes=indexes, solution_id=solution_id)
