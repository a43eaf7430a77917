"""The write path shared by needs and solutions: encode outside the write, commit record, vector and
change log together, then bring the index up to date before the request returns."""

from typing import Any

from sqlalchemy.orm import Session

from service.language import detect_language
from service.matching.indexes import MatchingIndexes
from service.matching.repository import record_text
from service.matching.vectors import encode_if_changed, forget_record, store_encoded
from service.needs.models import Need
from service.solutions.models import Solution

IndexedRecord = Need | Solution


def _kind(record: IndexedRecord) -> str:
    return "need" if isinstance(record, Need) else "solution"


def insert_record(*, session: Session, indexes: MatchingIndexes, record: IndexedRecord) -> None:
    """Store a new record (its language detected when not given) and make it matchable."""
    kind = _kind(record)
    text = record_text(record.title, record.description)
    encoded = encode_if_changed(session, encoder=indexes.encoder, kind=kind, owner_id=None, text=text)
    record.language = record.language or detect_language(text)
    session.add(record)
    session.flush()
    store_encoded(session, model_id=indexes.encoder.model_id, kind=kind, owner_id=record.id, encoded=encoded)
    session.commit()
    indexes.of(kind).catch_up()


def update_record(
    *, session: Session, indexes: MatchingIndexes, record: IndexedRecord, changes: dict[str, Any]
) -> None:
    """Apply validated changes; a changed text is re-encoded (and its language re-detected), an unchanged one is not."""
    kind = _kind(record)
    text = record_text(changes.get("title", record.title), changes.get("description", record.description))
    text_changed = text != record_text(record.title, record.description)
    # Encode before touching the row: a pending change would be flushed and hold the write lock.
    encoded = encode_if_changed(session, encoder=indexes.encoder, kind=kind, owner_id=record.id, text=text)
    if text_changed and "language" not in changes:
        changes = {**changes, "language": detect_language(text)}
    reindex = any(
        field in changes and changes[field] != getattr(record, field)
        for field in ("language", "kpi_codes", "translations")
    )
    for field, value in changes.items():
        setattr(record, field, value)
    store_encoded(
        session,
        model_id=indexes.encoder.model_id,
        kind=kind,
        owner_id=record.id,
        encoded=encoded,
        reindex=reindex,
    )
    session.commit()
    indexes.of(kind).catch_up()


def delete_record(*, session: Session, indexes: MatchingIndexes, record: IndexedRecord) -> None:
    """Remove a record and its vectors; its feedback goes with it (ON DELETE CASCADE)."""
    kind = _kind(record)
    # The row first, the change log last (as in the other writes): the same lock order as an update
    # of this record, so the two cannot deadlock on PostgreSQL.
    session.delete(record)
    forget_record(session, kind=kind, owner_id=record.id)
    session.commit()
    indexes.of(kind).catch_up()
