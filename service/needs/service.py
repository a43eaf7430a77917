"""Need logic: check what a need refers to; the shared write path stores it with its vector."""

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.matching.indexes import MatchingIndexes
from service.matching.record_writes import delete_record, insert_record, update_record
from service.models import Need
from service.needs import repository
from service.needs.schemas import NeedCreate, NeedUpdate
from service.references import ReferenceCheck


def get(*, session: Session, need_id: int) -> Need:
    need = repository.get_need(session, need_id)
    if need is None:
        raise NotFoundError("Need", need_id)
    return need


def _check_references(
    session: Session, *, municipality_number: str | None, kpi_codes: list[str] | None
) -> None:
    check = ReferenceCheck(session)
    check.municipality("municipality_number", municipality_number)
    check.kpi_codes("kpi_codes", kpi_codes)
    check.raise_if_any()


def create(
    *, session: Session, indexes: MatchingIndexes, need_in: NeedCreate, origin: str = "manual"
) -> Need:
    _check_references(session, municipality_number=need_in.municipality_number, kpi_codes=need_in.kpi_codes)
    need = Need(**need_in.model_dump(), origin=origin)
    insert_record(session=session, indexes=indexes, record=need)
    return need


def update(*, session: Session, indexes: MatchingIndexes, need_id: int, need_in: NeedUpdate) -> Need:
    need = get(session=session, need_id=need_id)
    changes = need_in.model_dump(exclude_unset=True)
    _check_references(
        session, municipality_number=changes.get("municipality_number"), kpi_codes=changes.get("kpi_codes")
    )
    # None leaves a required field as it is; only the municipality and the lowest TRL may be cleared.
    changes = {
        field: value
        for field, value in changes.items()
        if value is not None or field in ("municipality_number", "trl_min")
    }
    update_record(session=session, indexes=indexes, record=need, changes=changes)
    return need


def delete(*, session: Session, indexes: MatchingIndexes, need_id: int) -> None:
    delete_record(session=session, indexes=indexes, record=get(session=session, need_id=need_id))
