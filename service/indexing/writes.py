"""The write path shared by needs and solutions: encode outside the write, commit record, vector and
change log together, then bring the index up to date before the request returns."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from service.indexing.indexes import Indexes
from service.indexing.texts import record_text
from service.indexing.vectors import encode_changed, forget_record, store_encoded
from service.language import detect_language
from service.models import Need, Solution

IndexedRecord = Need | Solution


def _kind(record: IndexedRecord) -> str:
    return "need" if isinstance(record, Need) else "solution"


def insert_record(*, session: Session, indexes: Indexes, record: IndexedRecord) -> None:
    """Store a new record (its language detected when not given) and make it matchable."""
    insert_records(session=session, indexes=indexes, records=[record])


def insert_records(*, session: Session, indexes: Indexes, records: Sequence[IndexedRecord]) -> None:
    """Store new records of one kind in one transaction, their texts encoded together before it."""
    kind = _kind(records[0])
    texts = [record_text(record.title, record.description) for record in records]
    encoded = encode_changed(
        session, encoder=indexes.encoder, kind=kind, owner_ids=[None] * len(records), texts=texts
    )
    for record, text in zip(records, texts, strict=True):
        record.language = record.language or detect_language(text)
        session.add(record)
    session.flush()
    for record, encoded_text in zip(records, encoded, strict=True):
        store_encoded(
            session, model_id=indexes.encoder.model_id, kind=kind, owner_id=record.id, encoded=encoded_text
        )
    session.commit()
    indexes.of(kind).catch_up()


def update_record(
    *, session: Session, indexes: Indexes, record: IndexedRecord, changes: dict[str, Any]
) -> None:
    """Apply validated changes; a changed text is re-encoded (and its language re-detected), an unchanged one is not."""
    update_records(session=session, indexes=indexes, changes=[(record, changes)])


def update_records(
    *, session: Session, indexes: Indexes, changes: Sequence[tuple[IndexedRecord, dict[str, Any]]]
) -> None:
    """update_record for records of one kind in one transaction, the changed texts encoded together."""
    kind = _kind(changes[0][0])
    texts = [
        record_text(fields.get("title", record.title), fields.get("description", record.description))
        for record, fields in changes
    ]
    # Encode before touching any row: a pending change would be flushed and hold the write lock.
    encoded = encode_changed(
        session,
        encoder=indexes.encoder,
        kind=kind,
        owner_ids=[record.id for record, _ in changes],
        texts=texts,
    )
    for (record, fields), text, encoded_text in zip(changes, texts, encoded, strict=True):
        if text != record_text(record.title, record.description) and "language" not in fields:
            fields = {**fields, "language": detect_language(text)}
        reindex = any(
            field in fields and fields[field] != getattr(record, field)
            for field in ("language", "kpi_codes", "translations")
        )
        for field, value in fields.items():
            setattr(record, field, value)
        store_encoded(
            session,
            model_id=indexes.encoder.model_id,
            kind=kind,
            owner_id=record.id,
            encoded=encoded_text,
            reindex=reindex,
        )
    session.commit()
    indexes.of(kind).catch_up()


def delete_record(*, session: Session, indexes: Indexes, record: IndexedRecord) -> None:
    """Remove a record and its vectors; its feedback goes with it (ON DELETE CASCADE)."""
    kind = _kind(record)
    # The row first, the change log last (as in the other writes): the same lock order as an update
    # of this record, so the two cannot deadlock on PostgreSQL.
    session.delete(record)
    forget_record(session, kind=kind, owner_id=record.id)
    session.commit()
    indexes.of(kind).catch_up()
