"""Solution logic: check what a solution refers to; the shared write path stores it with its vector."""

from typing import Any

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.matching.indexes import MatchingIndexes
from service.matching.record_writes import delete_record, insert_record, update_record
from service.references import ReferenceCheck
from service.solutions import repository
from service.solutions.models import Solution
from service.solutions.schemas import SolutionCreate, SolutionUpdate

_REQUIRED_FIELDS = {"title", "description", "language", "kpi_codes", "sdgs", "cpv_codes", "status"}
_LIST_FIELDS = {"regions_served", "reference_municipalities"}


def get(*, session: Session, solution_id: int) -> Solution:
    solution = repository.get_solution(session, solution_id)
    if solution is None:
        raise NotFoundError("Solution", solution_id)
    return solution


def _check_references(session: Session, fields: dict[str, Any]) -> None:
    check = ReferenceCheck(session)
    check.supplier("supplier_id", fields.get("supplier_id"))
    check.kpi_codes("kpi_codes", fields.get("kpi_codes"))
    check.counties("regions_served", fields.get("regions_served"))
    check.municipalities("reference_municipalities", fields.get("reference_municipalities"))
    check.raise_if_any()


def create(*, session: Session, indexes: MatchingIndexes, solution_in: SolutionCreate) -> Solution:
    fields = solution_in.model_dump()
    _check_references(session, fields)
    solution = Solution(**fields)
    insert_record(session=session, indexes=indexes, record=solution)
    return solution


def update(
    *, session: Session, indexes: MatchingIndexes, solution_id: int, solution_in: SolutionUpdate
) -> Solution:
    solution = get(session=session, solution_id=solution_id)
    changes = solution_in.model_dump(exclude_unset=True)
    _check_references(session, changes)
    # None leaves a required field as it is and empties a list field.
    changes = {
        field: value for field, value in changes.items() if value is not None or field not in _REQUIRED_FIELDS
    }
    changes.update({field: [] for field in _LIST_FIELDS if field in changes and changes[field] is None})
    update_record(session=session, indexes=indexes, record=solution, changes=changes)
    return solution


def delete(*, session: Session, indexes: MatchingIndexes, solution_id: int) -> None:
    delete_record(session=session, indexes=indexes, record=get(session=session, solution_id=solution_id))
