"""HTTP layer for solutions."""

from fastapi import APIRouter, status

from service.auth import WriterDep
from service.deps import IndexesDep, SessionDep
from service.pagination import Page, PageDep
from service.solutions import repository, service
from service.solutions.schemas import SolutionCreate, SolutionRead, SolutionStatus, SolutionUpdate

router = APIRouter(prefix="/api/v1/solutions", tags=["solutions"])


@router.post("", response_model=SolutionRead, status_code=status.HTTP_201_CREATED)
def create_solution(
    session: SessionDep, indexes: IndexesDep, _writer: WriterDep, solution_in: SolutionCreate
) -> SolutionRead:
    """Register a solution; searchable as soon as this returns."""
    return SolutionRead.model_validate(
        service.create(session=session, indexes=indexes, solution_in=solution_in)
    )


@router.get("", response_model=Page[SolutionRead])
def list_solutions(
    session: SessionDep, page: PageDep, supplier_id: int | None = None, status: SolutionStatus | None = None
) -> Page[SolutionRead]:
    """Solutions, oldest first, filtered by supplier or status."""
    items, total = repository.list_solutions(
        session, offset=page.offset, limit=page.limit, supplier_id=supplier_id, status=status
    )
    return Page(
        items=[SolutionRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{solution_id}", response_model=SolutionRead)
def get_solution(session: SessionDep, solution_id: int) -> SolutionRead:
    """One solution."""
    return SolutionRead.model_validate(service.get(session=session, solution_id=solution_id))


@router.patch("/{solution_id}", response_model=SolutionRead)
def update_solution(
    session: SessionDep,
    indexes: IndexesDep,
    _writer: WriterDep,
    solution_id: int,
    solution_in: SolutionUpdate,
) -> SolutionRead:
    """Change a solution; a changed text is re-encoded, an unchanged one is not."""
    return SolutionRead.model_validate(
        service.update(session=session, indexes=indexes, solution_id=solution_id, solution_in=solution_in)
    )


@router.delete("/{solution_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_solution(session: SessionDep, indexes: IndexesDep, _writer: WriterDep, solution_id: int) -> None:
    """Remove a solution, its vector and its feedback."""
    service.delete(session=session, indexes=indexes, solution_id=solution_id)
