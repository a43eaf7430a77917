"""Solution logic: who may write which solution, who sees drafts, and checks of what a solution refers to.

The shared write path of service.indexing stores a solution with its vector.
"""

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from service.access import Principal, ensure_sees_solution, ensure_supplier
from service.errors import FieldError, NotFoundError, UncheckedRequest
from service.indexing import Indexes, delete_record, insert_records, update_record, update_records
from service.models import Solution
from service.references import ReferenceCheck
from service.response_warnings import written_text_warnings
from service.solutions import repository
from service.solutions.schemas import (
    MAX_BATCH,
    SolutionBatchUpdateItem,
    SolutionCreate,
    SolutionRead,
    SolutionUpdate,
    SolutionWritten,
)
from service.well_formed import well_formed_items

_REQUIRED_FIELDS = {"title", "description", "language", "kpi_codes", "sdgs", "cpv_codes", "status"}
_LIST_FIELDS = {"regions_served", "reference_municipalities"}


def get(*, session: Session, solution_id: int) -> Solution:
    solution = repository.get_solution(session, solution_id)
    if solution is None:
        raise NotFoundError("Solution", solution_id)
    return solution


def get_visible(*, session: Session, solution_id: int, caller: Principal) -> Solution:
    """The solution, if `caller` may see it; a draft or archived one is a 404 to the others."""
    solution = get(session=session, solution_id=solution_id)
    ensure_sees_solution(
        caller, solution_id=solution.id, status=solution.status, supplier_id=solution.supplier_id
    )
    return solution


def _written(solution: Solution, *, language_given: bool) -> SolutionWritten:
    """The solution as a write stored it, with its warnings (a language Innomatch does not match well)."""
    warnings = written_text_warnings(solution.language, language_given=language_given)
    return SolutionWritten(**SolutionRead.model_validate(solution).model_dump(), warnings=warnings)


def read(*, session: Session, solution_id: int, caller: Principal) -> SolutionRead:
    return SolutionRead.model_validate(get_visible(session=session, solution_id=solution_id, caller=caller))


def list_solutions(
    *,
    session: Session,
    caller: Principal,
    offset: int,
    limit: int,
    supplier_id: int | None = None,
    status: str | None = None,
) -> tuple[list[SolutionRead], int]:
    """Solutions; drafts and archived ones only for their supplier, staff and admins."""
    items, total = repository.list_solutions(
        session,
        offset=offset,
        limit=limit,
        supplier_id=supplier_id,
        status=status,
        unpublished_of=caller.supplier_id,
        all_unpublished=caller.sees_everything,
    )
    return [SolutionRead.model_validate(item) for item in items], total


def check_references(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """What a solution's fields refer to: its supplier, KPIs, counties and reference municipalities."""
    check.supplier("supplier_id", fields.get("supplier_id"))
    check.kpi_codes("kpi_codes", fields.get("kpi_codes"))
    check.counties("regions_served", fields.get("regions_served"))
    check.municipalities("reference_municipalities", fields.get("reference_municipalities"))


def _refuse_wrong_references(
    check: ReferenceCheck, batch: Sequence[Mapping[str, Any]], *, in_items: bool
) -> None:
    """Every wrong reference of every solution at once; `in_items` locates them in a batch's items."""
    for position, fields in enumerate(batch):
        check_references(check.within("items", position) if in_items else check, fields)
    check.raise_if_any()


def repeated_ids(ids: Sequence[int | None]) -> list[FieldError]:
    """A batch of changes names each solution once: the second and later mentions of one."""
    first_at: dict[int, int] = {}
    return [
        FieldError(("items", position, "id"), f"solution {owner_id} is in the batch more than once")
        for position, owner_id in enumerate(ids)
        if owner_id is not None and first_at.setdefault(owner_id, position) != position
    ]


def batch_change_references(session: Session, request: UncheckedRequest) -> list[FieldError]:
    """The checks of a batch of changes that failed its shape check: repeated ids and references."""
    items = well_formed_items(SolutionBatchUpdateItem, request.body, "items", MAX_BATCH)
    check = ReferenceCheck(session, errors=repeated_ids([fields.get("id") for fields in items]))
    for position, fields in enumerate(items):
        check_references(check.within("items", position), fields)
    return check.errors


def _own_by_default(caller: Principal, solution_in: SolutionCreate) -> SolutionCreate:
    """A supplier's new solution is its own unless it names its supplier."""
    if caller.role == "supplier" and solution_in.supplier_id is None:
        return solution_in.model_copy(update={"supplier_id": caller.supplier_id})
    return solution_in


def create(
    *, session: Session, indexes: Indexes, solution_in: SolutionCreate, caller: Principal
) -> SolutionWritten:
    return create_many(
        session=session, indexes=indexes, solutions_in=[solution_in], caller=caller, in_items=False
    )[0]


def create_many(
    *,
    session: Session,
    indexes: Indexes,
    solutions_in: Sequence[SolutionCreate],
    caller: Principal,
    in_items: bool = True,
) -> list[SolutionWritten]:
    """New solutions in one transaction; nothing is stored unless every one is valid. A supplier's
    solutions are its own. `in_items`: errors are located in the batch's items."""
    owned = [_own_by_default(caller, solution_in) for solution_in in solutions_in]
    for solution_in in owned:
        ensure_supplier(caller, solution_in.supplier_id)
    batch = [solution_in.model_dump() for solution_in in owned]
    _refuse_wrong_references(ReferenceCheck(session), batch, in_items=in_items)
    solutions = [Solution(**fields) for fields in batch]
    insert_records(session=session, indexes=indexes, records=solutions)
    return [
        _written(solution, language_given=solution_in.language is not None)
        for solution, solution_in in zip(solutions, owned, strict=True)
    ]


def update(
    *, session: Session, indexes: Indexes, solution_id: int, solution_in: SolutionUpdate, caller: Principal
) -> SolutionWritten:
    solution = get(session=session, solution_id=solution_id)
    ensure_supplier(caller, solution.supplier_id)
    if "supplier_id" in solution_in.model_fields_set:
        ensure_supplier(caller, solution_in.supplier_id)
    changes = solution_in.model_dump(exclude_unset=True)
    _refuse_wrong_references(ReferenceCheck(session), [changes], in_items=False)
    applicable = _applicable(changes)
    update_record(session=session, indexes=indexes, record=solution, changes=applicable)
    return _written(solution, language_given="language" in applicable)


def update_many(
    *, session: Session, indexes: Indexes, items: Sequence[SolutionBatchUpdateItem], caller: Principal
) -> list[SolutionWritten]:
    """Changes to several solutions in one transaction; nothing is stored unless every one is valid."""
    ids = [item.id for item in items]
    found = repository.solutions_by_id(session, ids)
    solutions = [found.get(owner_id) or _not_found(owner_id) for owner_id in ids]
    for solution, item in zip(solutions, items, strict=True):
        ensure_supplier(caller, solution.supplier_id)
        if "supplier_id" in item.model_fields_set:
            ensure_supplier(caller, item.supplier_id)
    batch = [item.model_dump(exclude_unset=True, exclude={"id"}) for item in items]
    check = ReferenceCheck(session, errors=repeated_ids(ids))
    _refuse_wrong_references(check, batch, in_items=True)
    changes = [(solution, _applicable(fields)) for solution, fields in zip(solutions, batch, strict=True)]
    update_records(session=session, indexes=indexes, changes=changes)
    return [_written(solution, language_given="language" in fields) for solution, fields in changes]


def _not_found(solution_id: int) -> NoReturn:
    raise NotFoundError("Solution", solution_id)


def _applicable(changes: dict[str, Any]) -> dict[str, Any]:
    """None leaves a required field as it is and empties a list field."""
    applicable = {
        field: value for field, value in changes.items() if value is not None or field not in _REQUIRED_FIELDS
    }
    applicable.update(
        {field: [] for field in _LIST_FIELDS if field in applicable and applicable[field] is None}
    )
    return applicable


def delete(*, session: Session, indexes: Indexes, solution_id: int, caller: Principal) -> None:
    solution = get(session=session, solution_id=solution_id)
    ensure_supplier(caller, solution.supplier_id)
    delete_record(session=session, indexes=indexes, record=solution)
