"""Solution logic: check what a solution refers to; the shared write path stores it with its vector."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from service.errors import FieldError, FieldErrors, NotFoundError
from service.matching.indexes import MatchingIndexes
from service.matching.record_writes import delete_record, insert_records, update_record, update_records
from service.models import Solution
from service.references import ReferenceCheck
from service.solutions import repository
from service.solutions.schemas import SolutionCreate, SolutionUpdate

_REQUIRED_FIELDS = {"title", "description", "language", "kpi_codes", "sdgs", "cpv_codes", "status"}
_LIST_FIELDS = {"regions_served", "reference_municipalities"}


def get(*, session: Session, solution_id: int) -> Solution:
    solution = repository.get_solution(session, solution_id)
    if solution is None:
        raise NotFoundError("Solution", solution_id)
    return solution


def _check_references(session: Session, fields: dict[str, Any], at: tuple[str | int, ...] = ()) -> None:
    """Every wrong reference at once; `at` places the fields inside a batch ("items", 3)."""
    check = ReferenceCheck(session)
    check.supplier("supplier_id", fields.get("supplier_id"))
    check.kpi_codes("kpi_codes", fields.get("kpi_codes"))
    check.counties("regions_served", fields.get("regions_served"))
    check.municipalities("reference_municipalities", fields.get("reference_municipalities"))
    try:
        check.raise_if_any()
    except FieldErrors as errors:
        raise FieldErrors(
            [FieldError((*at, *error.location), error.message, error.error_type) for error in errors.errors]
        ) from None


def _check_batch(session: Session, batch: Sequence[dict[str, Any]]) -> None:
    errors: list[FieldError] = []
    for position, fields in enumerate(batch):
        try:
            _check_references(session, fields, at=("items", position))
        except FieldErrors as found:
            errors += found.errors
    if errors:
        raise FieldErrors(errors)


def create(*, session: Session, indexes: MatchingIndexes, solution_in: SolutionCreate) -> Solution:
    return create_many(session=session, indexes=indexes, solutions_in=[solution_in])[0]


def create_many(
    *, session: Session, indexes: MatchingIndexes, solutions_in: Sequence[SolutionCreate]
) -> list[Solution]:
    """New solutions in one transaction; nothing is stored unless every one is valid."""
    batch = [solution_in.model_dump() for solution_in in solutions_in]
    if len(batch) == 1:
        _check_references(session, batch[0])
    else:
        _check_batch(session, batch)
    solutions = [Solution(**fields) for fields in batch]
    insert_records(session=session, indexes=indexes, records=solutions)
    return solutions


def update(
    *, session: Session, indexes: MatchingIndexes, solution_id: int, solution_in: SolutionUpdate
) -> Solution:
    solution = get(session=session, solution_id=solution_id)
    changes = solution_in.model_dump(exclude_unset=True)
    _check_references(session, changes)
    update_record(session=session, indexes=indexes, record=solution, changes=_applicable(changes))
    return solution


def update_many(
    *,
    session: Session,
    indexes: MatchingIndexes,
    solutions: Sequence[Solution],
    changes: Sequence[SolutionUpdate],
) -> None:
    """Changes to several solutions in one transaction; nothing is stored unless every one is valid."""
    batch = [solution_in.model_dump(exclude_unset=True) for solution_in in changes]
    _check_batch(session, batch)
    update_records(
        session=session,
        indexes=indexes,
        changes=[(solution, _applicable(fields)) for solution, fields in zip(solutions, batch, strict=True)],
    )


def _applicable(changes: dict[str, Any]) -> dict[str, Any]:
    """None leaves a required field as it is and empties a list field."""
    applicable = {
        field: value for field, value in changes.items() if value is not None or field not in _REQUIRED_FIELDS
    }
    applicable.update(
        {field: [] for field in _LIST_FIELDS if field in applicable and applicable[field] is None}
    )
    return applicable


def delete(*, session: Session, indexes: MatchingIndexes, solution_id: int) -> None:
    delete_record(session=session, indexes=indexes, record=get(session=session, solution_id=solution_id))
