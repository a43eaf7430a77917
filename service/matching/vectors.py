"""Keeping a record's stored vector in step with its text: encode only what changed."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from embeddings import Encoder, content_hash
from service.matching import repository


@dataclass(frozen=True)
class EncodedText:
    content_hash: str
    vector: np.ndarray | None  # None when the stored vector already belongs to this exact text


def encode_if_changed(
    session: Session, *, encoder: Encoder, kind: str, owner_id: int | None, text: str
) -> EncodedText:
    """Encode `text` unless the record's stored vector was made from the same text by the same model.

    Call it before the write starts: encoding takes tens of milliseconds and must not hold a write lock.
    """
    text_hash = content_hash(text)
    if owner_id is not None:
        stored = repository.get_stored_vector(
            session, kind=kind, owner_id=owner_id, model_id=encoder.model_id
        )
        if stored is not None and stored.content_hash == text_hash:
            return EncodedText(text_hash, None)
    return EncodedText(text_hash, encoder.encode_passages([text])[0])


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
