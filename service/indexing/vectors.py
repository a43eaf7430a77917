"""Keeping a record's stored vector in step with its text: encode only what changed."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from embeddings import Encoder, content_hash
from service.indexing import repository


@dataclass(frozen=True)
class EncodedText:
    content_hash: str
    vector: np.ndarray | None  # None when the stored vector already belongs to this exact text


def encode_changed(
    session: Session, *, encoder: Encoder, kind: str, owner_ids: Sequence[int | None], texts: Sequence[str]
) -> list[EncodedText]:
    """Each text encoded, unless its record's stored vector was made from the same text by the same
    model (owner id None: a new record); the changed texts are encoded in one call.

    Call it before the write starts: encoding is the slow part of a write (docs/encoders.md, "Speed")
    and must not hold a write lock.
    """
    hashes = [content_hash(text) for text in texts]
    stored = repository.content_hashes_of(
        session,
        kind=kind,
        model_id=encoder.model_id,
        owner_ids=[owner_id for owner_id in owner_ids if owner_id is not None],
    )
    unchanged = [
        owner_id is not None and stored.get(owner_id) == text_hash
        for owner_id, text_hash in zip(owner_ids, hashes, strict=True)
    ]
    changed = [text for text, same in zip(texts, unchanged, strict=True) if not same]
    vectors = iter(encoder.encode_passages(changed) if changed else [])
    return [
        EncodedText(text_hash, None if same else next(vectors))
        for text_hash, same in zip(hashes, unchanged, strict=True)
    ]


def store_encoded(
    session: Session,
    *,
    model_id: str,
    kind: str,
    owner_id: int,
    encoded: EncodedText,
    reindex: bool = False,
) -> None:
    """Store the vector (when new) and log the change the indexes follow, in the caller's transaction.

    `reindex` logs a change although the text is the same: a new language re-centres the vector and
    new KPI tags change the record's BM25 terms.
    """
    if encoded.vector is None:
        if reindex:
            repository.log_change(session, kind=kind, owner_id=owner_id, operation="upsert")
        return
    repository.put_stored_vector(
        session,
        kind=kind,
        owner_id=owner_id,
        model_id=model_id,
        content_hash=encoded.content_hash,
        vector=encoded.vector,
    )
    repository.log_change(session, kind=kind, owner_id=owner_id, operation="upsert")


def forget_record(session: Session, *, kind: str, owner_id: int) -> None:
    repository.delete_stored_vectors(session, kind=kind, owner_id=owner_id)
    repository.log_change(session, kind=kind, owner_id=owner_id, operation="delete")


ENCODE_BATCH = 32  # texts per encoder call when storing many at once


def store_vectors(session: Session, *, encoder: Encoder, kind: str, texts: Sequence[tuple[int, str]]) -> None:
    """Encode (owner id, text) pairs in batches and store their vectors, in the caller's transaction: for
    bulk loads that run before any index is open."""
    for start in range(0, len(texts), ENCODE_BATCH):
        batch = texts[start : start + ENCODE_BATCH]
        put_vectors(
            session,
            model_id=encoder.model_id,
            kind=kind,
            texts=batch,
            vectors=encoder.encode_passages([text for _, text in batch]),
        )


def put_vectors(
    session: Session, *, model_id: str, kind: str, texts: Sequence[tuple[int, str]], vectors: np.ndarray
) -> None:
    """Store encoded texts' vectors and log each change, so that every index following the database takes
    them up; the log after the rows, so that on PostgreSQL the change-log lock is the last one taken."""
    for (owner_id, text), vector in zip(texts, vectors, strict=True):
        repository.put_stored_vector(
            session,
            kind=kind,
            owner_id=owner_id,
            model_id=model_id,
            content_hash=content_hash(text),
            vector=vector,
        )
    for owner_id, _text in texts:
        repository.log_change(session, kind=kind, owner_id=owner_id, operation="upsert")
