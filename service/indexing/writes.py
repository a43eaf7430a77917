"""The write path shared by needs and solutions: encode and derive the suggested KPIs outside the write,
commit record, vector and change log together, then bring the index up to date before the request returns."""

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from service.indexing import repository
from service.indexing.indexes import Indexes
from service.indexing.kpi_suggestions import stored_form
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
    languages = [
        record.language or detect_language(text) for record, text in zip(records, texts, strict=True)
    ]
    encoded = encode_changed(
        session, encoder=indexes.encoder, kind=kind, owner_ids=[None] * len(records), texts=texts
    )
    suggested = derive_suggestions(
        session,
        indexes=indexes,
        kind=kind,
        texts=[
            (None, encoded_text.vector, language)
            for encoded_text, language in zip(encoded, languages, strict=True)
        ],
    )
    for record, language, suggestions in zip(records, languages, suggested, strict=True):
        record.language = language
        record.suggested_kpis = suggestions
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
    changes = [
        (record, {**fields, "language": detect_language(text)})
        if text != record_text(record.title, record.description) and "language" not in fields
        else (record, fields)
        for (record, fields), text in zip(changes, texts, strict=True)
    ]
    # Encode and derive before touching any row: a pending change would be flushed and hold the write lock.
    encoded = encode_changed(
        session,
        encoder=indexes.encoder,
        kind=kind,
        owner_ids=[record.id for record, _ in changes],
        texts=texts,
    )
    # A text read anew (changed, or in another language) gets new suggestions; one never derived gets its first.
    rederive = [
        encoded_text.vector is not None
        or fields.get("language", record.language) != record.language
        or record.suggested_kpis is None
        for (record, fields), encoded_text in zip(changes, encoded, strict=True)
    ]
    suggested = iter(
        derive_suggestions(
            session,
            indexes=indexes,
            kind=kind,
            texts=[
                (record.id, encoded_text.vector, fields.get("language", record.language))
                for (record, fields), encoded_text, again in zip(changes, encoded, rederive, strict=True)
                if again
            ],
        )
    )
    for (record, fields), encoded_text, again in zip(changes, encoded, rederive, strict=True):
        if again and (suggestions := next(suggested)) is not None:
            fields = {**fields, "suggested_kpis": suggestions}
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


def derive_suggestions(
    session: Session,
    *,
    indexes: Indexes,
    kind: str,
    texts: Sequence[tuple[int | None, np.ndarray | None, str]],
) -> list[list[dict[str, Any]] | None]:
    """The suggested KPIs of texts being written, as their records store them; each text is (its record's
    id, None for a new one; its new vector, None when the text is unchanged and its stored vector serves;
    its language). A record's own KPIs do not vote for it. None where no vector was found (the record was
    deleted meanwhile): start-up derives what is missing."""
    unchanged = [owner_id for owner_id, vector, _ in texts if vector is None and owner_id is not None]
    stored = (
        repository.vectors_of(session, kind=kind, model_id=indexes.encoder.model_id, owner_ids=unchanged)
        if unchanged
        else {}
    )
    vectors = [
        vector if vector is not None else stored[owner_id][0] if owner_id in stored else None
        for owner_id, vector, _ in texts
    ]
    usable = [
        (owner_id, vector, language)
        for (owner_id, _, language), vector in zip(texts, vectors, strict=True)
        if vector is not None
    ]
    derived = iter(
        indexes.kpi_suggester.suggest_raw(
            session,
            np.vstack([vector for _, vector, _ in usable])
            if usable
            else np.zeros((0, indexes.encoder.dim), dtype=np.float32),
            [language for _, _, language in usable],
            [(kind, owner_id) if owner_id is not None else None for owner_id, _, _ in usable],
        )
    )
    return [stored_form(next(derived)) if vector is not None else None for vector in vectors]
