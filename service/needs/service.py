"""Need logic: validate references, encode outside the write, store text and vector in one transaction."""

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.language import detect_language
from service.matching.indexes import MatchingIndexes
from service.matching.repository import record_text
from service.matching.vectors import encode_if_changed, forget_record, store_encoded
from service.needs import repository
from service.needs.models import Need
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
    text = record_text(need_in.title, need_in.description)
    encoded = encode_if_changed(session, encoder=indexes.encoder, kind="need", owner_id=None, text=text)
    need = Need(
        title=need_in.title,
        description=need_in.description,
        language=need_in.language or detect_language(text),
        municipality_number=need_in.municipality_number,
        origin=origin,
        kpi_codes=need_in.kpi_codes,
        status=need_in.status,
    )
    session.add(need)
    session.flush()
    store_encoded(session, model_id=indexes.encoder.model_id, kind="need", owner_id=need.id, encoded=encoded)
    session.commit()
    indexes.needs.catch_up()
    return need


def update(*, session: Session, indexes: MatchingIndexes, need_id: int, need_in: NeedUpdate) -> Need:
    need = get(session=session, need_id=need_id)
    changes = {field: value for field, value in need_in.model_dump(exclude_unset=True).items()}
    _check_references(
        session, municipality_number=changes.get("municipality_number"), kpi_codes=changes.get("kpi_codes")
    )
    # None leaves a required field as it is; only the municipality may be cleared.
    changes = {
        field: value
        for field, value in changes.items()
        if value is not None or field == "municipality_number"
    }
    title = changes.get("title", need.title)
    description = changes.get("description", need.description)
    text = record_text(title, description)
    text_changed = text != record_text(need.title, need.description)
    # Encode before touching the row: a pending change would be flushed and hold the write lock.
    encoded = encode_if_changed(session, encoder=indexes.encoder, kind="need", owner_id=need.id, text=text)
    if text_changed and "language" not in changes:
        changes["language"] = detect_language(text)
    language_changed = changes.get("language", need.language) != need.language
    for field, value in changes.items():
        setattr(need, field, value)
    store_encoded(
        session,
        model_id=indexes.encoder.model_id,
        kind="need",
        owner_id=need.id,
        encoded=encoded,
        language_changed=language_changed,
    )
    session.commit()
    indexes.needs.catch_up()
    return need


def delete(*, session: Session, indexes: MatchingIndexes, need_id: int) -> None:
    need = get(session=session, need_id=need_id)
    forget_record(session, kind="need", owner_id=need.id)
    session.delete(need)
    session.commit()
    indexes.needs.catch_up()
