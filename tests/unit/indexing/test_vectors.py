"""The write path's vector step: encode only changed texts, store them and log the change the indexes
follow (tiny hashing encoder, in-memory SQLite)."""

from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from service.db import Base
from service.indexing.repository import vector_from_bytes
from service.indexing.vectors import EncodedText, encode_changed, forget_record, store_encoded
from service.models import IndexChange, StoredVector
from tests.support.tiny_encoder import TinyEncoder


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def changes(session: Session) -> list[tuple[str, int, str]]:
    rows = session.scalars(select(IndexChange).order_by(IndexChange.seq))
    return [(row.owner_kind, row.owner_id, row.operation) for row in rows]


def store(session: Session, encoder: TinyEncoder, owner_id: int, text: str) -> None:
    [encoded] = encode_changed(session, encoder=encoder, kind="need", owner_ids=[None], texts=[text])
    store_encoded(session, model_id=encoder.model_id, kind="need", owner_id=owner_id, encoded=encoded)
    session.flush()


def test_new_texts_are_encoded_together_and_stored_with_an_upsert_logged(
    session: Session, tiny_encoder: TinyEncoder
) -> None:
    encoded = encode_changed(
        session,
        encoder=tiny_encoder,
        kind="need",
        owner_ids=[None, None],
        texts=["vann\nlekkasje", "avfall\n"],
    )
    assert tiny_encoder.calls == [2]
    for owner_id, item in zip((1, 2), encoded, strict=True):
        store_encoded(session, model_id=tiny_encoder.model_id, kind="need", owner_id=owner_id, encoded=item)
    session.flush()
    stored = session.scalars(select(StoredVector).order_by(StoredVector.owner_id)).all()
    assert [(row.owner_id, row.model_id, row.dim) for row in stored] == [
        (1, "tiny-hash-32", 32),
        (2, "tiny-hash-32", 32),
    ]
    expected = tiny_encoder.encode_passages(["vann\nlekkasje"])[0]
    assert np.array_equal(vector_from_bytes(stored[0].vector), expected)
    assert changes(session) == [("need", 1, "upsert"), ("need", 2, "upsert")]


def test_an_unchanged_text_is_not_encoded_again_and_logs_nothing(
    session: Session, tiny_encoder: TinyEncoder
) -> None:
    store(session, tiny_encoder, 1, "Vann lekkasje\nI rørene")
    calls_before = list(tiny_encoder.calls)
    # Only whitespace differs: the same content hash, so the stored vector still belongs to the text.
    [same] = encode_changed(
        session, encoder=tiny_encoder, kind="need", owner_ids=[1], texts=["Vann  lekkasje\n\nI rørene "]
    )
    assert same.vector is None and tiny_encoder.calls == calls_before
    store_encoded(session, model_id=tiny_encoder.model_id, kind="need", owner_id=1, encoded=same)
    assert changes(session) == [("need", 1, "upsert")]


def test_a_change_of_letter_case_is_a_new_text(session: Session, tiny_encoder: TinyEncoder) -> None:
    store(session, tiny_encoder, 1, "vann lekkasje")
    [changed] = encode_changed(
        session, encoder=tiny_encoder, kind="need", owner_ids=[1], texts=["Vann lekkasje"]
    )
    assert changed.vector is not None


def test_a_stored_vector_of_another_kind_or_model_does_not_count(
    session: Session, tiny_encoder: TinyEncoder
) -> None:
    store(session, tiny_encoder, 1, "vann lekkasje")
    [as_solution] = encode_changed(
        session, encoder=tiny_encoder, kind="solution", owner_ids=[1], texts=["vann lekkasje"]
    )
    [other_model] = encode_changed(
        session, encoder=TinyEncoder(dim=16), kind="need", owner_ids=[1], texts=["vann lekkasje"]
    )
    assert as_solution.vector is not None and other_model.vector is not None


def test_a_reindex_without_a_new_vector_logs_an_upsert_only(
    session: Session, tiny_encoder: TinyEncoder
) -> None:
    store(session, tiny_encoder, 1, "vann lekkasje")
    unchanged = EncodedText(content_hash="irrelevant", vector=None)
    store_encoded(
        session, model_id=tiny_encoder.model_id, kind="need", owner_id=1, encoded=unchanged, reindex=True
    )
    session.flush()
    assert changes(session) == [("need", 1, "upsert"), ("need", 1, "upsert")]
    assert len(session.scalars(select(StoredVector)).all()) == 1


def test_forgetting_a_record_deletes_its_vectors_and_logs_a_delete(
    session: Session, tiny_encoder: TinyEncoder
) -> None:
    store(session, tiny_encoder, 1, "vann lekkasje")
    store(session, tiny_encoder, 2, "avfall")
    forget_record(session, kind="need", owner_id=1)
    session.flush()
    assert [row.owner_id for row in session.scalars(select(StoredVector))] == [2]
    assert changes(session)[-1] == ("need", 1, "delete")
