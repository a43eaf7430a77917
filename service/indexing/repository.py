"""All SQL of the indexes: stored vectors, the change log, language centroids, what BM25 reads, and what
KPI suggestions read and write (the KPI texts' vectors, the records' KPI tags and suggestions)."""

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Select, delete, func, null, select, update
from sqlalchemy.orm import Session

from service.indexing.texts import record_text
from service.models import IndexChange, Kpi, KpiTextVector, LanguageCentroid, Need, Solution, StoredVector

RECORD_MODELS: dict[str, type[Need] | type[Solution]] = {"need": Need, "solution": Solution}


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


def get_stored_vector(session: Session, *, kind: str, owner_id: int, model_id: str) -> StoredVector | None:
    statement = select(StoredVector).where(
        StoredVector.owner_kind == kind, StoredVector.owner_id == owner_id, StoredVector.model_id == model_id
    )
    return session.scalars(statement).one_or_none()


def content_hashes_of(
    session: Session, *, kind: str, model_id: str, owner_ids: Sequence[int]
) -> dict[int, str]:
    """The content hash of each record's stored vector under `model_id`, without reading the vectors."""
    if not owner_ids:
        return {}
    statement = select(StoredVector.owner_id, StoredVector.content_hash).where(
        StoredVector.owner_kind == kind,
        StoredVector.model_id == model_id,
        StoredVector.owner_id.in_(set(owner_ids)),
    )
    return {owner_id: text_hash for owner_id, text_hash in session.execute(statement)}


def put_stored_vector(
    session: Session, *, kind: str, owner_id: int, model_id: str, content_hash: str, vector: np.ndarray
) -> None:
    stored = get_stored_vector(session, kind=kind, owner_id=owner_id, model_id=model_id)
    if stored is None:
        stored = StoredVector(owner_kind=kind, owner_id=owner_id, model_id=model_id)
        session.add(stored)
    stored.content_hash = content_hash
    stored.dim = int(vector.shape[0])
    stored.vector = vector_to_bytes(vector)


def delete_stored_vectors(session: Session, *, kind: str, owner_id: int) -> None:
    session.execute(
        delete(StoredVector).where(StoredVector.owner_kind == kind, StoredVector.owner_id == owner_id)
    )


# Any constant; it names the lock that orders writers of the change log on PostgreSQL.
CHANGE_LOG_LOCK = 0x1_44E_0C4A


def log_change(session: Session, *, kind: str, owner_id: int, operation: str) -> None:
    """Append to the change log; call it last in a transaction, just before the commit.

    Followers read the log by ascending sequence and must never see seq 11 committed while seq 10 is
    still to come. SQLite's single writer guarantees that; on PostgreSQL a transaction-scoped
    advisory lock makes sequence order equal commit order (held only from here to the commit).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CHANGE_LOG_LOCK)))
    session.add(IndexChange(owner_kind=kind, owner_id=owner_id, operation=operation))


def latest_change_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(IndexChange.seq), 0))) or 0


def changes_after(session: Session, *, kind: str, seq: int) -> Sequence[IndexChange]:
    statement = (
        select(IndexChange)
        .where(IndexChange.seq > seq, IndexChange.owner_kind == kind)
        .order_by(IndexChange.seq)
    )
    return session.scalars(statement).all()


def _vectors_with_language(kind: str, model_id: str) -> Select[int, bytes, str]:
    model = RECORD_MODELS[kind]
    return (
        select(StoredVector.owner_id, StoredVector.vector, model.language)
        .join(model, model.id == StoredVector.owner_id)
        .where(StoredVector.owner_kind == kind, StoredVector.model_id == model_id)
    )


def vectors_of(
    session: Session, *, kind: str, model_id: str, owner_ids: Sequence[int]
) -> dict[int, tuple[np.ndarray, str]]:
    """Stored vector and language of each record that has one."""
    statement = _vectors_with_language(kind, model_id).where(StoredVector.owner_id.in_(owner_ids))
    return {
        owner_id: (vector_from_bytes(blob), language)
        for owner_id, blob, language in session.execute(statement)
    }


def stored_owner_ids(session: Session, *, kind: str, model_id: str) -> set[int]:
    statement = select(StoredVector.owner_id).where(
        StoredVector.owner_kind == kind, StoredVector.model_id == model_id
    )
    return set(session.scalars(statement))


def count_vectors(session: Session, *, kind: str, model_id: str) -> int:
    statement = select(func.count()).where(StoredVector.owner_kind == kind, StoredVector.model_id == model_id)
    return session.scalar(statement) or 0


def iter_vectors(
    session: Session, *, kind: str, model_id: str, batch_size: int = 10_000
) -> Iterator[tuple[np.ndarray, np.ndarray, list[str]]]:
    """All stored vectors of a kind in id order, in batches of (ids, matrix, languages)."""
    last_id = -1
    while True:
        statement = (
            _vectors_with_language(kind, model_id)
            .where(StoredVector.owner_id > last_id)
            .order_by(StoredVector.owner_id)
            .limit(batch_size)
        )
        rows = session.execute(statement).all()
        if not rows:
            return
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        matrix = np.vstack([vector_from_bytes(row[1]) for row in rows])
        yield ids, matrix, [row[2] for row in rows]
        last_id = int(ids[-1])


def vectors_by_content_hash(
    session: Session, *, model_id: str, content_hashes: Sequence[str]
) -> dict[str, np.ndarray]:
    statement = select(StoredVector.content_hash, StoredVector.vector).where(
        StoredVector.model_id == model_id, StoredVector.content_hash.in_(set(content_hashes))
    )
    return {text_hash: vector_from_bytes(blob) for text_hash, blob in session.execute(statement)}


def get_centroids(session: Session, *, model_id: str) -> dict[str, np.ndarray]:
    statement = select(LanguageCentroid).where(LanguageCentroid.model_id == model_id)
    return {row.language: vector_from_bytes(row.vector) for row in session.scalars(statement)}


def put_centroids(
    session: Session, *, model_id: str, means: dict[str, np.ndarray], counts: dict[str, int]
) -> None:
    for language, mean in means.items():
        session.add(
            LanguageCentroid(
                model_id=model_id,
                language=language,
                text_count=counts[language],
                vector=vector_to_bytes(mean),
            )
        )


def record_ids_without_vector(session: Session, *, kind: str, model_id: str) -> list[int]:
    model = RECORD_MODELS[kind]
    has_vector = select(StoredVector.owner_id).where(
        StoredVector.owner_kind == kind, StoredVector.model_id == model_id
    )
    return list(session.scalars(select(model.id).where(model.id.not_in(has_vector)).order_by(model.id)))


def record_texts(session: Session, *, kind: str, owner_ids: Sequence[int]) -> dict[int, str]:
    model = RECORD_MODELS[kind]
    rows = session.execute(select(model.id, model.title, model.description).where(model.id.in_(owner_ids)))
    return {row_id: record_text(title, description) for row_id, title, description in rows}


LexicalRow = tuple[int, str, str, str, list[str], dict[str, dict[str, str]]]
"""(id, title, description, language, KPI codes, translations) of one record."""


def _lexical_rows(kind: str) -> Select[int, str, str, str, list[str], Any]:
    model = RECORD_MODELS[kind]
    translations = Need.translations if kind == "need" else null()
    return select(model.id, model.title, model.description, model.language, model.kpi_codes, translations)


def lexical_rows_of(session: Session, *, kind: str, owner_ids: Sequence[int]) -> list[LexicalRow]:
    statement = _lexical_rows(kind).where(RECORD_MODELS[kind].id.in_(owner_ids))
    return [_lexical_row(row) for row in session.execute(statement)]


def iter_lexical_rows(session: Session, *, kind: str, batch_size: int = 10_000) -> Iterator[list[LexicalRow]]:
    """Every record's lexical row in id order, in batches."""
    model = RECORD_MODELS[kind]
    last_id = -1
    while True:
        statement = _lexical_rows(kind).where(model.id > last_id).order_by(model.id).limit(batch_size)
        rows = [_lexical_row(row) for row in session.execute(statement)]
        if not rows:
            return
        yield rows
        last_id = rows[-1][0]


def _lexical_row(row: Any) -> LexicalRow:
    owner_id, title, description, language, kpi_codes, translations = row
    return owner_id, title, description, language, list(kpi_codes or []), dict(translations or {})


def kpi_names(session: Session) -> dict[str, tuple[str, str]]:
    """Every KPI's (Norwegian, English) name by code: part of the BM25 terms of each record tagged with it."""
    return {
        code: (name_no, name_en)
        for code, name_no, name_en in session.execute(select(Kpi.code, Kpi.name_no, Kpi.name_en))
    }


# -- KPI suggestions ------------------------------------------------------------------------------------


def all_kpis(session: Session) -> list[Kpi]:
    """The KPI catalogue in code order."""
    return list(session.scalars(select(Kpi).order_by(Kpi.code)))


StoredKpiText = tuple[str, str, np.ndarray]
"""(content hash, language, vector as encoded) of one KPI text."""


def kpi_text_vectors(session: Session, *, model_id: str) -> dict[tuple[str, str], StoredKpiText]:
    """The stored vectors of the KPI texts under `model_id`, by (KPI code, text kind)."""
    statement = select(KpiTextVector).where(KpiTextVector.model_id == model_id)
    return {
        (row.kpi_code, row.text_kind): (row.content_hash, row.language, vector_from_bytes(row.vector))
        for row in session.scalars(statement)
    }


def put_kpi_text_vector(
    session: Session,
    *,
    kpi_code: str,
    text_kind: str,
    language: str,
    model_id: str,
    content_hash: str,
    vector: np.ndarray,
) -> None:
    statement = select(KpiTextVector).where(
        KpiTextVector.kpi_code == kpi_code,
        KpiTextVector.text_kind == text_kind,
        KpiTextVector.model_id == model_id,
    )
    stored = session.scalars(statement).one_or_none()
    if stored is None:
        stored = KpiTextVector(kpi_code=kpi_code, text_kind=text_kind, model_id=model_id)
        session.add(stored)
    stored.language = language
    stored.content_hash = content_hash
    stored.dim = int(vector.shape[0])
    stored.vector = vector_to_bytes(vector)


def public_kpi_tags(session: Session, *, kind: str, owner_ids: Sequence[int]) -> dict[int, list[str]]:
    """The KPI codes chosen for each of the records that carries any and is public (every need; a solution
    when published): the tags that may vote in a KPI suggestion anyone can ask for."""
    if not owner_ids:
        return {}
    model = RECORD_MODELS[kind]
    statement = select(model.id, model.kpi_codes).where(model.id.in_(set(owner_ids)))
    if kind == "solution":
        statement = statement.where(Solution.status == "published")
    return {owner_id: list(codes) for owner_id, codes in session.execute(statement) if codes}


def ids_without_suggestions(session: Session, *, kind: str, after_id: int, limit: int) -> list[int]:
    """Records whose KPI suggestions were never derived (stored before they existed), in id order."""
    model = RECORD_MODELS[kind]
    statement = (
        select(model.id)
        .where(model.suggested_kpis.is_(None), model.id > after_id)
        .order_by(model.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def fill_in_suggestions(session: Session, *, kind: str, suggestions: dict[int, list[dict[str, Any]]]) -> None:
    """Store derived suggestions on records that still have none: a write since then derived its own."""
    model = RECORD_MODELS[kind]
    for owner_id, suggested in suggestions.items():
        session.execute(
            update(model)
            .where(model.id == owner_id, model.suggested_kpis.is_(None))
            .values(suggested_kpis=suggested)
        )
