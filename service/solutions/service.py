"""Solution logic: validate references, encode outside the write, store text and vector together."""

from typing import Any

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.language import detect_language
from service.matching.indexes import MatchingIndexes
from service.matching.repository import record_text
from service.matching.vectors import encode_if_changed, forget_record, store_encoded
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
    text = record_text(solution_in.title, solution_in.description)
    encoded = encode_if_changed(session, encoder=indexes.encoder, kind="solution", owner_id=None, text=text)
    fields["language"] = solution_in.language or detect_language(text)
    solution = Solution(**fields)
    session.add(solution)
    session.flush()
    store_encoded(
        session, model_id=indexes.encoder.model_id, kind="solution", owner_id=solution.id, encoded=encoded
    )
    session.commit()
    indexes.solutions.catch_up()
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
    for field in _LIST_FIELDS:
        if field in changes and changes[field] is None:
            changes[field] = []
    text = record_text(changes.get("title", solution.title), changes.get("description", solution.description))
    text_changed = text != record_text(solution.title, solution.description)
    # Encode before touching the row: a pending change would be flushed and hold the write lock.
    encoded = encode_if_changed(
        session, encoder=indexes.encoder, kind="solution", owner_id=solution.id, text=text
    )
    if text_changed and "language" not in changes:
        changes["language"] = detect_language(text)
    language_changed = changes.get("language", solution.language) != solution.language
    for field, value in changes.items():
        setattr(solution, field, value)
    store_encoded(
        session,
        model_id=indexes.encoder.model_id,
        kind="solution",
        owner_id=solution.id,
        encoded=encoded,
        language_changed=language_changed,
    )
    session.commit()
    indexes.solutions.catch_up()
    return solution


def delete(*, session: Session, indexes: MatchingIndexes, solution_id: int) -> None:
    solution = get(session=session, solution_id=solution_id)
    forget_record(session, kind="solution", owner_id=solution.id)
    session.delete(solution)
    session.commit()
    indexes.solutions.catch_up()
